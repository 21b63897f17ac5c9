import { createHubClient } from '../clients/typescript';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';

/** GitHub through the TinyOps workspace face, called with the typed client generated from the contract. */
describe('GitHub on the workspace face (typed client)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let hub: ReturnType<typeof createHubClient>;
  /** Each test's own organization and installation (7 repositories): nothing connected carries over. */
  let org: string;
  let installation: FakeInstallation;
  let n = 0;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 7, installations: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
  });
  beforeEach(async () => {
    org = (await addOrganization(t, `GitHub workspace ${++n}`)).organizationId;
    const account = fake.model.addAccount(`ws-org-${n}`);
    installation = fake.model.addInstallation(account, fake.model.addRepos(account, 7));
    hub = createHubClient({ baseUrl: t.url, apiKey: t.key, organizationId: org });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const installationId = () => String(installation.id);
  const login = () => installation.account.login;
  const connect = async () => {
    const res = await hub.POST('/api/integrations/{provider}/connect', { params: { path: { provider: 'github' } }, body: { installationId: installationId(), accountLogin: login() } });
    expect(res.response.status).toBe(200);
  };

  it('connects an installation after verifying it belongs to accountLogin, idempotently', async () => {
    const wrong = await hub.POST('/api/integrations/{provider}/connect', {
      params: { path: { provider: 'github' } },
      body: { installationId: installationId(), accountLogin: 'someone-else' },
    });
    expect(wrong.response.status).toBeGreaterThanOrEqual(400);
    expect(wrong.response.status).toBeLessThan(500);
    expect(JSON.stringify(wrong.error)).toContain('someone-else');

    const first = await hub.POST('/api/integrations/{provider}/connect', {
      params: { path: { provider: 'github' } },
      body: { installationId: installationId(), accountLogin: login() },
    });
    expect(first.response.status).toBe(200);
    expect(first.data).toMatchObject({ connected: true, integration: { provider: 'github', displayName: login(), status: 'connected', projectId: null } });
    const again = await hub.POST('/api/integrations/{provider}/connect', {
      params: { path: { provider: 'github' } },
      body: { installationId: installationId(), accountLogin: login() },
    });
    expect(again.data?.integration?.id).toBe(first.data?.integration?.id);
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM integrations WHERE provider = 'github' AND organization_id = $1`, [org]);
    expect(rows.rows[0].n).toBe(1);

    const list = await hub.GET('/api/integrations');
    expect(list.data?.integrations.map((i) => i.id)).toEqual([first.data?.integration?.id]);
  });

  it('refuses an unknown installation and an installation already linked to another organization', async () => {
    await connect();
    const unknown = await hub.POST('/api/integrations/{provider}/connect', {
      params: { path: { provider: 'github' } },
      body: { installationId: '999999999', accountLogin: login() },
    });
    expect(unknown.response.status).toBe(404);
    const other = await addOrganization(t, 'Other');
    const elsewhere = await http(t.url, 'POST', '/api/integrations/github/connect', {
      key: t.key,
      headers: { 'x-organization-id': other.organizationId },
      body: { installationId: installationId(), accountLogin: login() },
    });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.code).toBe('GITHUB_INSTALLATION_LINKED_ELSEWHERE');
  });

  it('lists repositories, checks health and the capability catalog from live calls', async () => {
    await connect();
    const client = createHubClient({ baseUrl: t.url, apiKey: t.key, organizationId: org });
    const repos = await client.GET('/api/integrations/{provider}/repos', { params: { path: { provider: 'github' }, query: { page: 1, per_page: 5 } } });
    expect(repos.response.status).toBe(200);
    expect(repos.data).toMatchObject({ total: 7, page: 1, per_page: 5 });
    expect(repos.data?.repos).toHaveLength(5);
    expect(repos.data?.repos[0].name).toMatch(new RegExp(`^${login()}/`));
    const health = await client.GET('/api/integrations/{provider}/health', { params: { path: { provider: 'github' } } });
    expect(health.data).toMatchObject({ healthy: true });
    const checks = await client.GET('/api/integrations/{provider}/checks', { params: { path: { provider: 'github' } } });
    expect(checks.data?.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['branch_protection', 'ci_status']));
  });

  it('members cannot connect or disconnect (403), and disconnect stops token minting', async () => {
    await connect();
    const member = await addUser(t, 'member', org);
    const asMember = createHubClient({ baseUrl: t.url, apiKey: member.key });
    const denied = await asMember.POST('/api/integrations/{provider}/disconnect', { params: { path: { provider: 'github' } }, body: {} });
    expect(denied.response.status).toBe(403);

    expect((await http(t.url, 'POST', `/api/installations/${installationId()}/access_tokens`, { key: t.key, headers: { 'x-organization-id': org }, body: {} })).status).toBe(201);
    const client = createHubClient({ baseUrl: t.url, apiKey: t.key, organizationId: org });
    const gone = await client.POST('/api/integrations/{provider}/disconnect', { params: { path: { provider: 'github' } }, body: {} });
    expect(gone.response.status).toBe(200);
    expect(gone.data?.disconnected).toHaveLength(1);
    const row = await t.db.query(`SELECT status, sealed_credentials FROM integrations WHERE provider = 'github' AND organization_id = $1`, [org]);
    expect(row.rows[0]).toEqual({ status: 'disconnected', sealed_credentials: null });
    const afterDisconnect = await http(t.url, 'POST', `/api/installations/${installationId()}/access_tokens`, { key: t.key, headers: { 'x-organization-id': org }, body: {} });
    expect(afterDisconnect.status).toBe(404);
  });
});
