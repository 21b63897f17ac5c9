import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { connectInstallation, waitFor } from './support/github';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization } from './support/identity';

const SUSPENDED = 'The GitHub installation is suspended: no tokens are minted until it is unsuspended';
const DELETED = 'The GitHub App was uninstalled from this installation: no tokens are minted for it';

describe('app connections and the installation lifecycle (suspended or uninstalled installations mint nothing)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let first: FakeInstallation;
  let second: FakeInstallation;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3, installations: 2 }).start();
    [first, second] = [...fake.model.installations.values()];
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    // The hub knows the first installation (linked to the bootstrap organization); the second only the third test links.
    await connectInstallation(t, first.id, first.account.login, t.organizationId, t.projectId);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const call = (method: string, path: string, body?: unknown) => http(t.url, method, path, { key: t.key, body, headers: { 'x-organization-id': t.organizationId } });
  const mint = (connectionId: string, body: unknown = {}) => call('POST', `${CONNECTIONS}/${connectionId}/access-token`, body);
  const newConnection = async (installationId: number): Promise<string> => {
    const { res } = await createConnection(t, fake, installationId);
    expect(res.status).toBe(200);
    return res.body.appConnection.id;
  };
  const expectRefused = (res: HttpResult, message: string) => {
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ reqId: res.headers.get('x-request-id'), statusCode: 403, message, error: 'PermissionDenied' });
  };
  const mintAudits = async (connectionId: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'app_connection.token_mint' AND target = $1`, [`app_connection:${connectionId}`])).rows[0].n as number;
  const installationEvent = (installation: FakeInstallation, action: string) => ({
    action,
    installation: { id: installation.id, account: { login: installation.account.login } },
    sender: { id: 1, login: 'octocat' },
  });

  it('refuses to mint (403, Infisical body) once a signed webhook suspends the installation, and mints again after unsuspend', async () => {
    const id = await newConnection(first.id);
    const ok = await mint(id);
    expect(ok.status).toBe(200);
    expect(await mintAudits(id)).toBe(1);

    first.suspendedAt = new Date().toISOString();
    const hookUrl = `${t.url}/api/webhooks/github`;
    expect((await fake.sendWebhook(hookUrl, 'installation', installationEvent(first, 'suspend'))).status).toBe(202);
    await waitFor(async () => (await t.db.query('SELECT suspended_at FROM github_installations WHERE installation_id = $1', [first.id])).rows[0]?.suspended_at);

    const mintsBefore = fake.mintCount(first.id);
    expectRefused(await mint(id), SUSPENDED);
    expectRefused(await mint(id, { permissions: { contents: 'read' } }), SUSPENDED);
    // Listing repositories needs an installation token too.
    expectRefused(await call('GET', `${CONNECTIONS}/${id}/repositories`), SUSPENDED);
    expect(fake.mintCount(first.id)).toBe(mintsBefore);
    expect(await mintAudits(id)).toBe(1);

    first.suspendedAt = null;
    expect((await fake.sendWebhook(hookUrl, 'installation', installationEvent(first, 'unsuspend'))).status).toBe(202);
    await waitFor(async () => (await t.db.query('SELECT suspended_at FROM github_installations WHERE installation_id = $1', [first.id])).rows[0]?.suspended_at === null);
    const again = await mint(id);
    expect(again.status).toBe(200);
    expect(again.body.token).toMatch(/^ghs_/);
    expect(await mintAudits(id)).toBe(2);
  });

  it('refuses to mint for an installation the hub knows was uninstalled, even with a token still cached', async () => {
    const id = await newConnection(first.id);
    const cached = await mint(id, { permissions: { metadata: 'read' } });
    expect(cached.status).toBe(200);
    const mintsBefore = fake.mintCount(first.id);

    // Updating the row bypasses the webhook's cache eviction: the check must not rely on it. A process trusts what it
    // read of the installation's state for at most a second (assertMintable), so the refusal comes within that.
    await t.db.query('UPDATE github_installations SET deleted_at = now() WHERE installation_id = $1', [first.id]);
    await waitFor(async () => (await mint(id, { permissions: { metadata: 'read' } })).status === 403);
    expectRefused(await mint(id, { permissions: { metadata: 'read' } }), DELETED);
    expectRefused(await call('GET', `${CONNECTIONS}/${id}/repositories`), DELETED);
    expect(fake.mintCount(first.id)).toBe(mintsBefore);
    await t.db.query('UPDATE github_installations SET deleted_at = NULL WHERE installation_id = $1', [first.id]);
    // Restored for the other tests, which may run next: wait out the second this process trusts the deleted state.
    await waitFor(async () => (await mint(id, { permissions: { metadata: 'read' } })).status === 200);
  });

  it('mints for an installation the hub never linked, and refuses once another organization links it and it is suspended', async () => {
    const id = await newConnection(second.id);
    expect((await mint(id)).status).toBe(200);

    const other = await addOrganization(t, 'Installation owner');
    await connectInstallation(t, second.id, second.account.login, other.organizationId, other.projectId);
    expect((await mint(id)).status).toBe(200);
    await t.db.query('UPDATE github_installations SET suspended_at = now() WHERE installation_id = $1', [second.id]);
    // Recorded without the webhook (no eviction): refused within the second a process trusts its read.
    await waitFor(async () => (await mint(id)).status === 403);
    expectRefused(await mint(id), SUSPENDED);
  });
});
