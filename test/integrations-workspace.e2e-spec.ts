import { SUPPORTED_PROVIDERS } from '../src/integrations/integration.enums';
import { startGitlabFake, GitlabFake } from './fakes/gitlab-fake';
import { FakeServer } from './fakes/fake-server';
import { startDiscordFake, startMantisFake } from './fakes/token-providers-fake';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addUser, keyWithScopes } from './support/identity';

describe('workspace integrations, integration objects and policies (TinyOps + vRaptor faces)', () => {
  let t: TestHub;
  let gitlab: GitlabFake;
  let mantis: FakeServer & { token: string };
  let discord: FakeServer & { webhookUrl: string };

  beforeAll(async () => {
    [gitlab, mantis, discord] = await Promise.all([startGitlabFake(), startMantisFake(), startDiscordFake()]);
    t = await startTestHub({ env: { ...gitlab.env, MANTISBT_URL: mantis.url } });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([gitlab?.close(), mantis?.close(), discord?.close()]);
  });

  const sealedOf = async (id: string) => (await t.db.query('SELECT sealed_credentials, configuration FROM integrations WHERE id = $1', [id])).rows[0];

  it('answers 404 naming the supported providers for an unknown one', async () => {
    const res = await http(t.url, 'GET', '/api/integrations/bitbucket/checks', { key: t.key });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PROVIDER_NOT_FOUND');
    expect(res.body.message).toContain(`Supported providers: ${SUPPORTED_PROVIDERS.join(', ')}`);
  });

  it('answers 409 INTEGRATION_NOT_CONNECTED for a provider with nothing connected, as the adapters do', async () => {
    const res = await http(t.url, 'GET', '/api/integrations/jira/repos', { key: t.key });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'INTEGRATION_NOT_CONNECTED', message: 'No jira integration is connected in this workspace' });
  });

  it('answers a malformed policy id 404 (36 dashes used to reach the database: 500), after the key and scope checks', async () => {
    const dashes = '-'.repeat(36);
    expect((await http(t.url, 'GET', `/api/policies/${dashes}`, { key: t.key })).body).toMatchObject({ statusCode: 404, code: 'POLICY_NOT_FOUND' });
    expect((await http(t.url, 'GET', `/api/policies/${dashes}`)).status).toBe(401);
    const noScope = await keyWithScopes(t, ['project:read']);
    expect((await http(t.url, 'GET', `/api/policies/${dashes}`, { key: noScope })).status).toBe(403);
  });

  it('lists the capability catalog of checks and actions', async () => {
    const checks = await http(t.url, 'GET', '/api/integrations/gitlab/checks', { key: t.key });
    expect(checks.status).toBe(200);
    expect(checks.body.provider).toBe('gitlab');
    expect(checks.body.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['branch_protection', 'ci_status']));
    const actions = await http(t.url, 'GET', '/api/integrations/slack/actions', { key: t.key });
    expect(actions.body.actions.map((c: { id: string }) => c.id)).toEqual(['notify']);
  });

  it('connects MantisBT with a good token (one validating call) and refuses a bad one', async () => {
    const bad = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, body: { token: 'wrong' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_CREDENTIALS');
    const seenBefore = mantis.requests.length;
    const good = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, body: { token: mantis.token } });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ connected: true, integration: { provider: 'mantisbt', status: 'connected', projectId: null, displayName: expect.stringContaining('hubbot') } });
    expect(mantis.requests.slice(seenBefore).map((r) => r.path)).toEqual(['/api/rest/users/me']);
    const row = await sealedOf(good.body.integration.id);
    expect(row.sealed_credentials).toMatch(/^v1\./);
    expect(row.sealed_credentials).not.toContain(mantis.token);
    expect(row.configuration).not.toContain(mantis.token);
    expect(good.text).not.toContain(mantis.token);

    const again = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, body: { token: mantis.token } });
    expect(again.body.integration.id).toBe(good.body.integration.id);

    const repos = await http(t.url, 'GET', '/api/integrations/mantisbt/repos?search=back', { key: t.key });
    expect(repos.body).toEqual({ repos: [{ id: '2', name: 'mantisbt/Backoffice', private: true }], total: 1, page: 1, per_page: 30 });
    const health = await http(t.url, 'GET', '/api/integrations/mantisbt/health', { key: t.key });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ healthy: true, details: { username: 'hubbot' } });
    expect(Date.parse(health.body.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('connects GitLab with a personal token and pages/searches its projects (per_page capped at 100)', async () => {
    const bad = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key: t.key, body: { token: 'glpat-nope' } });
    expect(bad.status).toBe(400);
    const good = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key: t.key, body: { token: 'glpat-good-token' } });
    expect(good.body.integration).toMatchObject({ provider: 'gitlab', displayName: 'acme-bot' });
    const page2 = await http(t.url, 'GET', '/api/integrations/gitlab/repos?page=2&per_page=20', { key: t.key });
    expect(page2.body.total).toBe(45);
    expect(page2.body.repos).toHaveLength(20);
    expect(page2.body.repos[0]).toEqual({ id: '1020', name: 'acme/web-20', private: true });
    const search = await http(t.url, 'GET', '/api/integrations/gitlab/repos?search=api&per_page=500', { key: t.key });
    expect(search.body.per_page).toBe(100);
    expect(search.body.total).toBe(15);
    expect(gitlab.requests.at(-1)?.query.get('per_page')).toBe('100');
    const oauth = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key: t.key, body: {} });
    expect(oauth.body.connected).toBe(false);
    expect(new URL(oauth.body.authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('passes a GitLab rate limit on as 429 rate_limited with detail and Retry-After, on health and repos', async () => {
    const connected = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key: t.key, body: { token: 'glpat-good-token' } });
    expect(connected.status).toBe(200);

    gitlab.rateLimit(120);
    const seenBefore = gitlab.requests.length;
    const health = await http(t.url, 'GET', '/api/integrations/gitlab/health', { key: t.key });
    expect(health.status).toBe(429);
    const message = 'GitLab rate limit reached; retry after 120 seconds';
    expect(health.body).toEqual({ statusCode: 429, code: 'rate_limited', message, detail: message, requestId: health.headers.get('x-request-id') });
    expect(health.headers.get('retry-after')).toBe('120');
    // A Retry-After beyond the client's bounded wait is not retried: the caller decides when to come back.
    expect(gitlab.requests.slice(seenBefore).map((r) => r.path)).toEqual(['/api/v4/user']);

    gitlab.rateLimit(45);
    const repos = await http(t.url, 'GET', '/api/integrations/gitlab/repos?per_page=5', { key: t.key });
    expect(repos.status).toBe(429);
    expect(repos.body).toMatchObject({ code: 'rate_limited', detail: 'GitLab rate limit reached; retry after 45 seconds' });
    expect(repos.headers.get('retry-after')).toBe('45');

    const recovered = await http(t.url, 'GET', '/api/integrations/gitlab/health', { key: t.key });
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ healthy: true, details: { username: 'acme-bot' } });
  });

  it('connects Discord with a webhook URL and refuses an unknown one', async () => {
    const bad = await http(t.url, 'POST', '/api/integrations/discord/connect', { key: t.key, body: { webhook_url: `${discord.url}/api/webhooks/1/nope` } });
    expect(bad.status).toBe(400);
    const good = await http(t.url, 'POST', '/api/integrations/discord/connect', { key: t.key, body: { webhook_url: discord.webhookUrl } });
    expect(good.body.integration).toMatchObject({ provider: 'discord', displayName: 'Hub alerts' });
    expect((await sealedOf(good.body.integration.id)).sealed_credentials).not.toContain('hook-secret-token');
    const health = await http(t.url, 'GET', '/api/integrations/discord/health', { key: t.key });
    expect(health.body.healthy).toBe(true);
  });

  it('keeps connect/disconnect to owners and admins', async () => {
    const member = await addUser(t, 'member');
    const res = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: member.key, body: { token: mantis.token }, headers: { 'x-organization-id': t.organizationId } });
    expect(res.status).toBe(403);
    const readOnly = await keyWithScopes(t, ['integration:read']);
    const noScope = await http(t.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: readOnly, body: {} });
    expect(noScope.status).toBe(403);
    expect(noScope.body.message).toContain("'integration:write'");
  });

  it('disconnecting disables dependent policies with a reason; reconnecting does not re-enable them', async () => {
    const created = await http(t.url, 'POST', '/api/policies', { key: t.key, body: { name: 'Triage bugs', provider: 'mantisbt', action: 'create_issue', config: { project: 'Website' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ enabled: true, disabled_reason: null, integration_id: expect.stringMatching(/^\d+$/) });
    const unknownCheck = await http(t.url, 'POST', '/api/policies', { key: t.key, body: { name: 'x', provider: 'mantisbt', check: 'branch_protection' } });
    expect(unknownCheck.status).toBe(400);

    const off = await http(t.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: t.key, body: {} });
    expect(off.status).toBe(200);
    expect(off.body.disabledPolicies).toEqual([created.body.id]);
    const policy = await http(t.url, 'GET', `/api/policies/${created.body.id}`, { key: t.key });
    expect(policy.body).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('mantisbt integration was disconnected') });
    const row = await sealedOf(off.body.disconnected[0]);
    expect(row.sealed_credentials).toBeNull();
    const reEnable = await http(t.url, 'PATCH', `/api/policies/${created.body.id}`, { key: t.key, body: { enabled: true } });
    expect(reEnable.status).toBe(400);
    expect(reEnable.body.code).toBe('POLICY_NEEDS_INTEGRATION');

    await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, body: { token: mantis.token } });
    const after = await http(t.url, 'GET', `/api/policies/${created.body.id}`, { key: t.key });
    expect(after.body.enabled).toBe(false);
    const enabled = await http(t.url, 'PATCH', `/api/policies/${created.body.id}`, { key: t.key, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
    const list = await http(t.url, 'GET', '/api/policies', { key: t.key });
    expect(list.body.results.map((p: { id: string }) => p.id)).toContain(created.body.id);
    expect((await http(t.url, 'DELETE', `/api/policies/${created.body.id}`, { key: t.key })).status).toBe(204);
  });

  it('serves the vRaptor integration object: get, partial patch validated against the schema, sync', async () => {
    const list = await http(t.url, 'GET', '/api/integrations', { key: t.key });
    const gl = list.body.integrations.find((i: { provider: string }) => i.provider === 'gitlab');
    const got = await http(t.url, 'GET', `/api/integrations/${gl.id}`, { key: t.key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ id: gl.id, organisation_id: t.organizationId, item_type: 'issue', provider: 'gitlab', enabled: true, configuration: expect.any(String) });
    expect(JSON.parse(got.body.configuration)).toMatchObject({ username: 'acme-bot' });

    const invalid = await http(t.url, 'PATCH', `/api/integrations/${gl.id}`, { key: t.key, body: { configuration: '{"unknown_setting":1}' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_CONFIGURATION');
    const notJson = await http(t.url, 'PATCH', `/api/integrations/${gl.id}`, { key: t.key, body: { configuration: '{' } });
    expect(notJson.status).toBe(400);
    const patched = await http(t.url, 'PATCH', `/api/integrations/${gl.id}`, { key: t.key, body: { configuration: '{"username":"acme-bot","labels":["hub"]}' } });
    expect(patched.body).toMatchObject({ enabled: true, configuration: '{"username":"acme-bot","labels":["hub"]}' });

    const sync = await http(t.url, 'POST', `/api/integrations/${gl.id}/sync`, { key: t.key });
    expect(sync.status).toBe(202);
    expect(sync.body).toMatchObject({ id: gl.id, status: 'queued' });
    await waitFor(async () => (await t.db.query('SELECT last_synced_at FROM integrations WHERE id = $1', [gl.id])).rows[0].last_synced_at !== null);
    const synced = (await t.db.query('SELECT metadata FROM integrations WHERE id = $1', [gl.id])).rows[0];
    expect(synced.metadata.repos_total).toBe(45);
    expect(synced.metadata.repos).toHaveLength(45);

    const disabled = await http(t.url, 'PATCH', `/api/integrations/${gl.id}`, { key: t.key, body: { enabled: false } });
    expect(disabled.body.enabled).toBe(false);
    const refused = await http(t.url, 'POST', `/api/integrations/${gl.id}/sync`, { key: t.key });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('INTEGRATION_DISABLED');
  });

  it('answers 404 for unknown ids and organizations, and 403 without MANAGE_ORGANISATION', async () => {
    expect((await http(t.url, 'GET', '/api/integrations/123456789', { key: t.key })).status).toBe(404);
    const list = await http(t.url, 'GET', '/api/integrations', { key: t.key });
    const id = list.body.integrations[0].id;
    const member = await addUser(t, 'member');
    const forbidden = await http(t.url, 'GET', `/api/integrations/${id}`, { key: member.key, headers: { 'x-organization-id': t.organizationId } });
    expect(forbidden.status).toBe(403);
    const other = await http(t.url, 'POST', '/api/organizations', { key: t.key, body: { name: 'Second' } });
    expect(other.status).toBe(201);
    const noOrg = await http(t.url, 'GET', `/api/integrations/${id}`, { key: t.key, headers: { 'x-organization-id': '00000000-0000-4000-8000-000000000000' } });
    // An organization that does not exist answers like someone else's: the header is no oracle for ids.
    expect(noOrg.status).toBe(404);
    const crossOrg = await http(t.url, 'GET', `/api/integrations/${id}`, { key: t.key, headers: { 'x-organization-id': other.body.id } });
    expect(crossOrg.status).toBe(404);
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
