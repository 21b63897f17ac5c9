import { http } from './support/http';
import { connectInstallation } from './support/github';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';

describe('GitHub install flow and project face', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let first: FakeInstallation;
  let second: FakeInstallation;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 4, installations: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    [first, second] = [...fake.model.installations.values()];
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const newProject = async (name: string) => (await http(t.url, 'POST', `/api/organizations/${t.organizationId}/projects`, { key: t.key, body: { name } })).body.id as string;
  const authorize = async (projectId: string, next = '/done', key = t.key) => {
    const res = await http(t.url, 'GET', `/api/projects/${projectId}/integrations/authorize?kind=github&next=${encodeURIComponent(next)}`, { key });
    return { res, state: new URL(res.headers.get('location') ?? 'http://x').searchParams.get('state') as string };
  };
  const callback = (query: Record<string, string>) => http(t.url, 'GET', `/api/integrations/github/callback?${new URLSearchParams(query)}`);

  describe('install flow', () => {
    it('redirects to the app installation page with a single-use state cookie and refuses a foreign next', async () => {
      const { res, state } = await authorize(t.projectId);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${fake.url}/apps/${fake.appSlug}/installations/new?state=${encodeURIComponent(state)}`);
      expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
      const bad = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=github&next=${encodeURIComponent('https://evil.test/')}`, { key: t.key });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toBe('next must be a relative path starting with /');
    });

    it('exchanges the code, checks the user sees the installation, connects the project, links the user, then refuses the replayed state', async () => {
      const dev = fake.model.addUser('octo-dev', [first.id]);
      const { state } = await authorize(t.projectId, '/project/settings');
      const code = fake.issueCode(dev.id);
      const res = await callback({ installation_id: String(first.id), setup_action: 'install', code, state });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('http://hub.example.test/project/settings');
      expect(res.text).not.toContain(code);
      const rows = await t.db.query(`SELECT project_id, status, display_name FROM integrations WHERE provider = 'github' AND external_account_id = $1`, [String(first.id)]);
      expect(rows.rows).toEqual([{ project_id: t.projectId, status: 'connected', display_name: first.account.login }]);
      const links = await t.db.query('SELECT user_id, github_login, github_user_id, sealed_user_token FROM github_user_links');
      expect(links.rows).toEqual([{ user_id: t.userId, github_login: 'octo-dev', github_user_id: String(dev.id), sealed_user_token: expect.stringMatching(/^v1\./) }]);
      expect(fake.stats.byRoute['GET /user/installations']).toBeGreaterThanOrEqual(1);

      const replay = await callback({ installation_id: String(first.id), setup_action: 'install', code: fake.issueCode(dev.id), state });
      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ code: 'state_invalid' });

      const identity = await http(t.url, 'POST', '/api/integration/identity/user', { key: t.key, body: { nonce: 'n1' } });
      expect(identity.status).toBe(200);
      expect(identity.body.user).toMatchObject({ login: 'octo-dev', id: dev.id, type: 'User' });
      const token = await http(t.url, 'POST', `/api/installations/${first.id}/access_tokens`, { key: t.key, body: { user_id: t.userId } });
      expect(token.status).toBe(201);
      expect(token.body.on_behalf_of).toMatchObject({ login: 'octo-dev', id: dev.id });
    });

    it('without a code sends the user through GitHub user OAuth with a fresh state, then finishes', async () => {
      const dev = fake.model.addUser('octo-second', [first.id]);
      const { state } = await authorize(t.projectId, '/after');
      const res = await callback({ installation_id: String(first.id), setup_action: 'update', state });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') as string);
      expect(`${location.origin}${location.pathname}`).toBe(`${fake.url}/login/oauth/authorize`);
      expect(location.searchParams.get('client_id')).toBe(fake.clientId);
      expect(location.searchParams.get('redirect_uri')).toBe('http://hub.example.test/api/integrations/github/callback');
      const fresh = location.searchParams.get('state') as string;
      expect(fresh).not.toBe(state);
      const done = await callback({ code: fake.issueCode(dev.id), state: fresh });
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('http://hub.example.test/after');
    });

    it('refuses a user who cannot see the installation, and a bad code', async () => {
      const stranger = fake.model.addUser('stranger', []);
      const { state } = await authorize(t.projectId);
      const res = await callback({ installation_id: String(second.id), setup_action: 'install', code: fake.issueCode(stranger.id), state });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ detail: 'User does not have access to the provided installation' });
      const again = await authorize(t.projectId);
      const bad = await callback({ installation_id: String(second.id), code: 'not-a-code', state: again.state });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('github_code_invalid');
    });
  });

  describe('oauth_authorize', () => {
    it('requires installation_id and answers a GitHub user OAuth URL', async () => {
      const missing = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/github/oauth_authorize`, { key: t.key, body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ type: 'validation_error', code: 'invalid_input', detail: 'installation_id is required', attr: null });
      const ok = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/github/oauth_authorize`, { key: t.key, body: { installation_id: String(first.id), next: '/x' } });
      expect(ok.status).toBe(200);
      expect(ok.body.oauth_url).toMatch(new RegExp(`^${fake.url}/login/oauth/authorize\\?client_id=${fake.clientId.replace('.', '\\.')}&redirect_uri=.+&state=[\\w-]{40,}$`));
    });
  });

  describe('link_existing and available_installations', () => {
    const linkExisting = (projectId: string, body: Record<string, unknown>, key = t.key) =>
      http(t.url, 'POST', `/api/projects/${projectId}/integrations/github/link_existing`, { key, body });

    it('answers the orphan code when no sibling project has the installation', async () => {
      const other = await addOrganization(t, 'Lonely org');
      const res = await linkExisting(other.projectId, { installation_id: first.id });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'github_link_existing_orphan_installation' });
    });

    it('links the named installation for a project admin', async () => {
      const projectB = await newProject('B');
      const res = await linkExisting(projectB, { installation_id: String(first.id) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'github', display_name: first.account.login, config: { installation_id: String(first.id) }, errors: '' });
      const rows = await t.db.query(`SELECT id FROM integrations WHERE project_id = $1 AND external_account_id = $2`, [projectB, String(first.id)]);
      expect(rows.rows).toEqual([{ id: res.body.id }]);
    });

    it('asks which one when several exist, and checks source_team_id', async () => {
      const projectC = await newProject('C');
      await connectInstallation(t, second.id, second.account.login, t.organizationId, projectC);
      const projectD = await newProject('D');
      // Upstream's link_existing needs one of the two (posthog/api/github_callback/team_services.py).
      const neither = await linkExisting(projectD, {});
      expect(neither.status).toBe(400);
      expect(neither.body.detail).toBe('source_team_id or installation_id is required');
      const unknownTeam = await linkExisting(projectD, { source_team_id: '00000000-0000-4000-8000-000000000000' });
      expect(unknownTeam.status).toBe(400);
      expect(unknownTeam.body.detail).toBe('Source team not found in your organization');
      const fromC = await linkExisting(projectD, { source_team_id: projectC });
      expect(fromC.status).toBe(200);
      expect(fromC.body.config.installation_id).toBe(String(second.id));

      const available = await http(t.url, 'GET', `/api/projects/${projectD}/integrations/github/available_installations`, { key: t.key });
      expect(available.status).toBe(200);
      expect(available.body.results.map((r: { installation_id: string }) => r.installation_id).sort()).toEqual([String(first.id), String(second.id)].sort());
    });

    it('lets a member link only with a personal GitHub account that sees the installation', async () => {
      const member = await addUser(t, 'member');
      const projectE = await newProject('E');
      const without = await linkExisting(projectE, { installation_id: first.id }, member.key);
      expect(without.status).toBe(400);
      expect(without.body.code).toBe('github_link_existing_personal_github_required');

      const memberGithub = fake.model.addUser('member-gh', [first.id]);
      const oauth = await http(t.url, 'POST', `/api/projects/${projectE}/integrations/github/oauth_authorize`, { key: member.key, body: { installation_id: String(first.id) } });
      const state = new URL(oauth.body.oauth_url).searchParams.get('state') as string;
      expect((await callback({ code: fake.issueCode(memberGithub.id), state })).status).toBe(302);

      const projectF = await newProject('F');
      const cannotSee = await linkExisting(projectF, { installation_id: second.id }, member.key);
      expect(cannotSee.status).toBe(400);
      expect(cannotSee.body.code).toBe('github_link_existing_personal_github_required');
      const ok = await linkExisting(projectF, { installation_id: first.id }, member.key);
      expect(ok.status).toBe(200);
      const visible = await http(t.url, 'GET', `/api/projects/${projectF}/integrations/github/available_installations`, { key: member.key });
      expect(visible.body.results.map((r: { installation_id: string }) => r.installation_id)).toEqual([String(first.id)]);
    });
  });
});
