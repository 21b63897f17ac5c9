import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

/** With no worker consuming the queue, a suspend or delete webhook still stops minting before it is answered. */
describe('installation revocation without a worker', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let hookUrl: string;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2, installations: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, HUB_ROLE: 'api', GITHUB_REQUEST_RETRIES: '0' } });
    hookUrl = `${t.url}/api/webhooks/github`;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const event = (action: string, installationId: number, login: string) => ({ action, installation: { id: installationId, account: { login } }, sender: { id: 1, login: 'octocat' } });
  const mint = (installationId: number) => http(t.url, 'POST', `/api/installations/${installationId}/access_tokens`, { key: t.key, body: {} });

  it.each([
    ['suspend', 0, 403],
    ['deleted', 1, 404],
  ] as const)('%s: the next mint is refused at once, the cached token is gone', async (action, index, status) => {
    const installation = [...fake.model.installations.values()][index];
    await connectInstallation(t, installation.id, installation.account.login);
    const first = await mint(installation.id);
    expect(first.status).toBe(201);
    const mintsBefore = fake.mintCount(installation.id);
    const delivery = await fake.sendWebhook(hookUrl, 'installation', event(action, installation.id, installation.account.login));
    expect(delivery.status).toBe(202);
    // Nothing consumed the queued job (HUB_ROLE=api), yet minting stopped.
    const jobs = await t.db.query('SELECT processed_at FROM github_webhook_deliveries WHERE delivery_id = $1', [delivery.deliveryId]);
    expect(jobs.rows[0].processed_at).toBeNull();
    const refused = await Promise.all(Array.from({ length: 10 }, () => mint(installation.id)));
    expect(refused.map((r) => r.status)).toEqual(Array(10).fill(status));
    expect(fake.mintCount(installation.id)).toBe(mintsBefore);
  });
});
