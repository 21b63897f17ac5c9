import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

/**
 * Two replicas on one PostgreSQL and one Redis: the API replica serves mints from its in-process cache, a worker
 * replica processes the webhook; the suspension must reach the API replica at once (pub/sub), not after a TTL.
 */
describe('GitHub token broker across replicas', () => {
  let fake: FakeGithub;
  let api: TestHub;
  let worker: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    api = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', HUB_ROLE: 'api', PORT: '0' } });
    worker = await startTestHub({
      databaseName: api.databaseName,
      queuePrefix: api.env.QUEUE_PREFIX,
      env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', HUB_ROLE: 'all', ENCRYPTION_KEYS: api.env.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: api.key },
    });
    await connectInstallation(api, fake.installation.id, fake.installation.account.login);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake?.stop();
  });

  const mint = () => http(api.url, 'POST', `/api/installations/${fake.installation.id}/access_tokens`, { key: api.key, body: {} });

  it('serves repeated mints from cache and stops minting on every replica as soon as a suspension is processed', async () => {
    const first = await mint();
    expect(first.status).toBe(201);
    const mintsBefore = fake.mintCount();
    for (let i = 0; i < 20; i++) expect((await mint()).body.token).toBe(first.body.token);
    expect(fake.mintCount()).toBe(mintsBefore);

    fake.installation.suspendedAt = new Date().toISOString();
    const event = { action: 'suspend', installation: { id: fake.installation.id, account: { login: fake.installation.account.login } }, sender: { id: 1, login: 'octocat' } };
    // Delivered to the worker replica; the API replica never sees the webhook itself.
    expect((await fake.sendWebhook(`${worker.url}/api/webhooks/github`, 'installation', event)).status).toBe(202);
    await waitFor(async () => (await api.db.query(`SELECT suspended_at FROM github_installations`)).rows[0].suspended_at !== null);
    const refused = await waitFor(async () => {
      const res = await mint();
      return res.status === 403 ? res : null;
    }, 1000);
    expect(refused.body.code).toBe('GITHUB_INSTALLATION_SUSPENDED');
  });
});
