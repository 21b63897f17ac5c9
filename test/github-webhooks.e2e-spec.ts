import { createHmac } from 'node:crypto';
import { http } from './support/http';
import { connectInstallation, waitFor } from './support/github';
import { startTestHub, TestHub } from './support/hub-harness';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';

describe('GitHub webhooks', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let hookUrl: string;
  let installation: FakeInstallation;
  let installationId: number;
  let accounts = 0;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    hookUrl = `${t.url}/api/webhooks/github`;
  });
  // Every test gets its own installation connected to its own project: suspending, revoking or deleting one
  // leaves nothing behind for the next, whatever the order.
  beforeEach(async () => {
    const account = fake.model.addAccount(`hooks-org-${++accounts}`);
    installation = fake.model.addInstallation(account, fake.model.addRepos(account, 3));
    installationId = installation.id;
    const project = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/projects`, { key: t.key, body: { name: `hooks ${accounts}` } });
    expect(project.status).toBe(201);
    await connectInstallation(t, installationId, account.login, t.organizationId, project.body.id as string);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const installationEvent = (action: string) => ({ action, installation: { id: installationId, account: { login: installation.account.login } }, sender: { id: 1, login: 'octocat' } });
  const integrationStatus = async () => (await t.db.query(`SELECT status, errors FROM integrations WHERE external_account_id = $1`, [String(installationId)])).rows[0];
  const mint = () => http(t.url, 'POST', `/api/installations/${installationId}/access_tokens`, { key: t.key, body: {} });
  const deliveries = async () => (await t.db.query('SELECT count(*)::int AS n FROM github_webhook_deliveries')).rows[0].n as number;

  it('refuses missing and wrong signatures with 401 before doing anything', async () => {
    const before = await deliveries();
    const missing = await fake.sendWebhook(hookUrl, 'installation', installationEvent('suspend'), { signature: null });
    expect(missing.status).toBe(401);
    const wrong = await fake.sendWebhook(hookUrl, 'installation', installationEvent('suspend'), { signature: `sha256=${'0'.repeat(64)}` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ code: 'INVALID_WEBHOOK_SIGNATURE' });
    expect(await deliveries()).toBe(before);
    expect((await integrationStatus()).status).toBe('connected');
  });

  it('judges the signature before the body: malformed JSON is 401 unsigned, 400 once signed', async () => {
    const before = await deliveries();
    const raw = '{"action": "suspend", ';
    const sign = (body: string) => `sha256=${createHmac('sha256', fake.env.GITHUB_WEBHOOK_SECRET).update(body).digest('hex')}`;
    const headers = { 'x-github-event': 'installation', 'x-github-delivery': 'malformed-1' };
    const unsigned = await http(t.url, 'POST', '/api/webhooks/github', { rawBody: raw, headers: { ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('INVALID_WEBHOOK_SIGNATURE');
    const signed = await http(t.url, 'POST', '/api/webhooks/github', { rawBody: raw, headers: { ...headers, 'x-hub-signature-256': sign(raw) } });
    expect(signed.status).toBe(400);
    expect(signed.body.code).toBe('MALFORMED_JSON');
    expect(await deliveries()).toBe(before);
  });

  it('suspend disconnects the integrations and stops minting; unsuspend restores; duplicates are ignored', async () => {
    expect((await mint()).status).toBe(201);
    installation.suspendedAt = new Date().toISOString();
    const delivery = await fake.sendWebhook(hookUrl, 'installation', installationEvent('suspend'));
    expect(delivery.status).toBe(202);
    expect(JSON.parse(delivery.text)).toEqual({ status: 'queued' });
    await waitFor(async () => (await integrationStatus()).status === 'disconnected');
    expect(await integrationStatus()).toEqual({ status: 'disconnected', errors: 'The GitHub App installation is suspended' });
    const refused = await mint();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('GITHUB_INSTALLATION_SUSPENDED');

    const dup = await fake.sendWebhook(hookUrl, 'installation', installationEvent('suspend'), { deliveryId: delivery.deliveryId });
    expect(dup.status).toBe(202);
    expect(JSON.parse(dup.text)).toEqual({ status: 'duplicate' });

    installation.suspendedAt = null;
    const unsuspend = await fake.sendWebhook(hookUrl, 'installation', installationEvent('unsuspend'));
    expect(unsuspend.status).toBe(202);
    await waitFor(async () => (await integrationStatus()).status === 'connected');
    expect((await mint()).status).toBe(201);
    const processed = await t.db.query('SELECT count(*)::int AS n FROM github_webhook_deliveries WHERE processed_at IS NOT NULL AND delivery_id = ANY($1)', [[delivery.deliveryId, unsuspend.deliveryId]]);
    expect(processed.rows[0].n).toBe(2);
  });

  it('installation_repositories refreshes the cached repository list', async () => {
    const before = (await http(t.url, 'GET', `/api/installations/${installationId}/repositories`, { key: t.key })).body.total_count;
    const [added] = fake.model.addRepos(fake.installation.account, 1);
    installation.repoIds.push(added.id);
    const stale = (await http(t.url, 'GET', `/api/installations/${installationId}/repositories`, { key: t.key })).body.total_count;
    expect(stale).toBe(before);
    const calls = fake.stats.byRoute['GET /installation/repositories'] ?? 0;
    await fake.sendWebhook(hookUrl, 'installation_repositories', { action: 'added', installation: { id: installationId }, repositories_added: [{ id: added.id }], sender: { id: 1 } });
    await waitFor(async () => (fake.stats.byRoute['GET /installation/repositories'] ?? 0) > calls);
    await waitFor(async () => (await http(t.url, 'GET', `/api/installations/${installationId}/repositories`, { key: t.key })).body.total_count === before + 1);
  });

  it('github_app_authorization revoked drops the user link', async () => {
    const dev = fake.model.addUser(`revoker-${accounts}`, [installationId]);
    await t.db.query(
      `INSERT INTO github_user_links (organization_id, user_id, github_user_id, github_login) VALUES ($1, $2, $3, $4)`,
      [t.organizationId, t.userId, String(dev.id), dev.login],
    );
    await fake.sendWebhook(hookUrl, 'github_app_authorization', { action: 'revoked', sender: { id: dev.id, login: 'revoker' } });
    await waitFor(async () => (await t.db.query('SELECT count(*)::int AS n FROM github_user_links WHERE github_user_id = $1', [String(dev.id)])).rows[0].n === 0);
  });

  it('deleted disconnects for good and the installation disappears from the broker', async () => {
    await fake.sendWebhook(hookUrl, 'installation', installationEvent('deleted'));
    await waitFor(async () => (await integrationStatus()).errors === 'The GitHub App was uninstalled');
    const list = await http(t.url, 'GET', '/api/integration/installations', { key: t.key });
    expect(list.status).toBe(200);
    expect((list.body as Array<{ id: number }>).map((i) => i.id)).not.toContain(installationId);
    expect((await mint()).status).toBe(404);
  });
});
