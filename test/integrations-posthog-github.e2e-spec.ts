import fc from 'fast-check';
import { http, HttpResult } from './support/http';
import { connectInstallation } from './support/github';
import { startTestHub, TestHub } from './support/hub-harness';
import { addUser, keyWithScopes, TestUser } from './support/identity';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation, FakeRepo } from './fakes/github/fake-github.model';

/*
 * The PostHog face's GitHub routes, replaying upstream. Read for these facts (PostHog/posthog):
 * - posthog/api/integration.py: IntegrationViewSet's github_repos (GitHubReposQuerySerializer: search, limit 1..500
 *   default 100, offset ≥ 0; {repositories, has_more, total}), refresh_github_repos ({repositories,
 *   installation_status}), github_branches (GitHubBranchesQuerySerializer: repo required, limit 1..1000;
 *   validate_github_repository_name "repo must be in owner/repo format" before get_object; {branches,
 *   default_branch, has_more}), github_teams ({teams, has_more}, "Unable to fetch GitHub teams..."),
 *   github_prepare_callback (204, "next must be a relative path starting with /", "Invalid installation_id"),
 *   "<endpoint> endpoint is only supported for GitHub integrations", IntegrationSerializer.create (members add,
 *   "Editing an existing integration requires project admin access."), dangerously_get_permissions and the scope
 *   action lists;
 * - posthog/api/github_callback/team_services.py: create_team_github_integration_from_oauth_code ("An
 *   installation_id must be provided", "A state token must be provided", "An OAuth code must be provided", "Failed
 *   to exchange the OAuth code — ensure GITHUB_APP_CLIENT_SECRET is configured", "Invalid installation_id", "You do
 *   not have access to this GitHub installation" code installation_access_denied), link_existing_team_github_integration
 *   (the version answering an empty body "source_team_id or installation_id is required"; "Source team not found in
 *   your organization", "Source team does not have a GitHub integration", the orphan and personal-GitHub codes),
 *   build_team_github_oauth_authorize_url ("installation_id is required", connect_from);
 * - posthog/api/github_callback/state.py: consume_github_authorize_state ("Invalid or expired state token", code
 *   invalid_state);
 * - posthog/models/integration/github.py: GitHubIntegration.integration_from_installation_id's config
 *   (installation_id, expires_in, refreshed_at, repository_selection, account {type, name}), list_cached_branches
 *   (default branch first, casefolded search);
 * - posthog/models/integration/model.py (Integration.display_name: GitHub's account.name);
 * - posthog/permissions.py: TeamMemberStrictManagementPermission / TeamMemberLightManagementPermission
 *   ("You don't have sufficient permissions in the project."), APIScopePermission.
 * drf-exceptions-hog renders a view's ValidationError(text) as {type: validation_error, code: invalid_input, attr: null}.
 */
describe('project integrations: PostHog GitHub routes', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let first: FakeInstallation;
  let second: FakeInstallation;
  let githubId: string;
  let emailId: string;
  let member: TestUser;
  let repo: FakeRepo;

  const base = (projectId = t.projectId) => `/api/projects/${projectId}/integrations`;
  const invalid = (detail: string) => ({ type: 'validation_error', code: 'invalid_input', detail, attr: null });
  const expectPosthog = (res: HttpResult, status: number, body: { type: string; code: string; detail: string; attr: string | null }) => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
  };
  const noPermission = { type: 'authentication_error', code: 'permission_denied', detail: "You don't have sufficient permissions in the project.", attr: null };
  const newProject = async (name: string) => (await http(t.url, 'POST', `/api/organizations/${t.organizationId}/projects`, { key: t.key, body: { name } })).body.id as string;
  const githubState = async (projectId: string, key = t.key) => {
    const res = await http(t.url, 'GET', `${base(projectId)}/authorize?kind=github&next=/done`, { key });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') as string).searchParams.get('state') as string;
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 5, installations: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    [first, second] = [...fake.model.installations.values()];
    first.permissions = { ...first.permissions, members: 'read', contents: 'write' };
    [repo] = fake.model.installationRepos(first);
    repo.branches = ['feature/login', 'release-1', 'Feature/Search'];
    fake.model.addTeam(first.account, 'platform', [[repo, 'admin']]);
    fake.model.addTeam(first.account, 'web-ui', []);
    const connected = await connectInstallation(t, first.id, first.account.login, t.organizationId, t.projectId);
    if (connected.kind !== 'connected') throw new Error('not connected');
    githubId = connected.integration.id;
    const email = await http(t.url, 'POST', `${base()}/`, { key: t.key, body: { kind: 'email', config: { domain: 'gh.example.com', verify_token: 'abc123TOKEN=', dkim_tokens: ['t1', 't2', 't3'], region: 'us-east-1' } } });
    emailId = email.body.id;
    member = await addUser(t, 'member');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  describe('github_repos', () => {
    it('answers a page of the installation repositories, with and without the trailing slash', async () => {
      const all = fake.model.installationRepos(first);
      for (const slash of ['/', '']) {
        const res = await http(t.url, 'GET', `${base()}/${githubId}/github_repos${slash}`, { key: t.key });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ repositories: expect.any(Array), has_more: false, total: all.length });
        expect(res.body.repositories[0]).toEqual({
          id: all[0].id,
          name: all[0].name,
          full_name: `${first.account.login}/${all[0].name}`,
          private: all[0].visibility !== 'public',
          default_branch: 'main',
          language: null,
          pushed_at: expect.any(String),
          archived: all[0].archived,
          can_push: !all[0].archived,
        });
      }
      const page = await http(t.url, 'GET', `${base()}/${githubId}/github_repos/?limit=2&offset=1`, { key: t.key });
      expect(page.body.repositories.map((r: { id: number }) => r.id)).toEqual(all.slice(1, 3).map((r) => r.id));
      expect(page.body).toMatchObject({ has_more: all.length > 3, total: all.length });
      // Casefolded search on the full name, surrounding whitespace trimmed (DRF's CharField).
      const searched = await http(t.url, 'GET', `${base()}/${githubId}/github_repos/?search=${encodeURIComponent(`  ${first.account.login.toUpperCase()}/${all[1].name}  `)}`, { key: t.key });
      expect(searched.body.repositories.map((r: { id: number }) => r.id)).toEqual([all[1].id]);
      expect(searched.body.total).toBe(1);
    });

    it('refuses bad limit and offset with DRF field codes before looking the integration up', async () => {
      const url = (q: string, id = githubId) => `${base()}/${id}/github_repos/?${q}`;
      expectPosthog(await http(t.url, 'GET', url('limit=0'), { key: t.key }), 400, { type: 'validation_error', code: 'min_value', detail: 'Ensure this value is greater than or equal to 1.', attr: 'limit' });
      expectPosthog(await http(t.url, 'GET', url('limit=501'), { key: t.key }), 400, { type: 'validation_error', code: 'max_value', detail: 'Ensure this value is less than or equal to 500.', attr: 'limit' });
      expectPosthog(await http(t.url, 'GET', url('limit=ten'), { key: t.key }), 400, { type: 'validation_error', code: 'invalid_input', detail: 'A valid integer is required.', attr: 'limit' });
      expectPosthog(await http(t.url, 'GET', url('offset=-1'), { key: t.key }), 400, { type: 'validation_error', code: 'min_value', detail: 'Ensure this value is greater than or equal to 0.', attr: 'offset' });
      expectPosthog(await http(t.url, 'GET', url('limit=0', '123456789'), { key: t.key }), 400, { type: 'validation_error', code: 'min_value', detail: 'Ensure this value is greater than or equal to 1.', attr: 'limit' });
    });

    it('answers 404 for unknown integrations and 400 for non-GitHub ones', async () => {
      expectPosthog(await http(t.url, 'GET', `${base()}/123456789/github_repos/`, { key: t.key }), 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
      expectPosthog(await http(t.url, 'GET', `${base()}/${emailId}/github_repos`, { key: t.key }), 400, invalid('github_repos endpoint is only supported for GitHub integrations'));
      // Another project's GitHub integration is not this project's.
      const other = await newProject('repos-elsewhere');
      expectPosthog(await http(t.url, 'GET', `${base(other)}/${githubId}/github_repos/`, { key: t.key }), 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
    });

    it('lets project members read', async () => {
      expect((await http(t.url, 'GET', `${base()}/${githubId}/github_repos/`, { key: member.key })).status).toBe(200);
    });
  });

  describe('github_repos/refresh', () => {
    /** An installation and project of its own, so the 30-second refresh cooldown of one test never meets another's. */
    const freshGithub = async (name: string) => {
      const account = fake.model.addAccount(name);
      const installation = fake.model.addInstallation(account, fake.model.addRepos(account, 2));
      const project = await newProject(name);
      const connected = await connectInstallation(t, installation.id, account.login, t.organizationId, project);
      if (connected.kind !== 'connected') throw new Error('not connected');
      return { installation, account, project, id: connected.integration.id };
    };

    it('re-reads GitHub, with and without the trailing slash, for members too', async () => {
      for (const [slash, key] of [['/', t.key], ['', member.key]] as const) {
        const { installation, account, project, id } = await freshGithub(`refresh-${slash ? 'slash' : 'bare'}`);
        expect((await http(t.url, 'GET', `${base(project)}/${id}/github_repos/`, { key })).body.total).toBe(2);
        const added = fake.model.addRepos(account, 1)[0];
        installation.repoIds.push(added.id);
        const res = await http(t.url, 'POST', `${base(project)}/${id}/github_repos/refresh${slash}`, { key });
        expect(res.status).toBe(200);
        expect(res.body.installation_status).toBe('connected');
        expect(res.body.repositories.map((r: { id: number }) => r.id)).toContain(added.id);
        const listed = await http(t.url, 'GET', `${base(project)}/${id}/github_repos/`, { key });
        expect(listed.body.repositories.map((r: { id: number }) => r.id)).toContain(added.id);
      }
    });

    it('answers the cached list within 30 seconds of a refresh, as upstream', async () => {
      const { installation, account, project, id } = await freshGithub('refresh-cooldown');
      expect((await http(t.url, 'POST', `${base(project)}/${id}/github_repos/refresh/`, { key: t.key })).body.repositories).toHaveLength(2);
      installation.repoIds.push(fake.model.addRepos(account, 1)[0].id);
      const again = await http(t.url, 'POST', `${base(project)}/${id}/github_repos/refresh/`, { key: t.key });
      expect(again.body).toMatchObject({ installation_status: 'connected' });
      expect(again.body.repositories).toHaveLength(2);
    });

    it('answers the last list as unavailable when GitHub says the installation is suspended', async () => {
      const { installation, project, id } = await freshGithub('refresh-suspended');
      expect((await http(t.url, 'GET', `${base(project)}/${id}/github_repos/`, { key: t.key })).body.total).toBe(2);
      installation.suspendedAt = new Date().toISOString();
      const res = await http(t.url, 'POST', `${base(project)}/${id}/github_repos/refresh/`, { key: t.key });
      expect(res.status).toBe(200);
      expect(res.body.installation_status).toBe('unavailable');
      expect(res.body.repositories).toHaveLength(2);
    });

    it('refuses non-GitHub integrations and read-only keys as upstream', async () => {
      expectPosthog(await http(t.url, 'POST', `${base()}/${emailId}/github_repos/refresh/`, { key: t.key }), 400, invalid('refresh_github_repos endpoint is only supported for GitHub integrations'));
      const readOnly = await keyWithScopes(t, ['integration:read']);
      expectPosthog(await http(t.url, 'POST', `${base()}/${githubId}/github_repos/refresh/`, { key: readOnly }), 403, {
        type: 'authentication_error',
        code: 'permission_denied',
        detail: "API key missing required scope 'integration:write'",
        attr: null,
      });
    });
  });

  describe('github_branches', () => {
    const branches = (q: string, id = githubId, slash = '/') => http(t.url, 'GET', `${base()}/${id}/github_branches${slash}?${q}`, { key: t.key });
    const full = () => `${first.account.login}/${repo.name}`;

    it('lists the default branch first, then GitHub order, with search and paging, with and without the trailing slash', async () => {
      for (const slash of ['/', '']) {
        const res = await branches(`repo=${encodeURIComponent(full())}`, githubId, slash);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ branches: ['main', 'Feature/Search', 'feature/login', 'release-1'], default_branch: 'main', has_more: false });
      }
      expect((await branches(`repo=${encodeURIComponent(full())}&search=FEATURE`)).body).toEqual({ branches: ['Feature/Search', 'feature/login'], default_branch: 'main', has_more: false });
      expect((await branches(`repo=${encodeURIComponent(full())}&limit=2&offset=1`)).body).toEqual({ branches: ['Feature/Search', 'feature/login'], default_branch: 'main', has_more: true });
    });

    it('requires repo in owner/repo form before looking the integration up', async () => {
      expectPosthog(await branches(''), 400, { type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'repo' });
      expectPosthog(await branches('repo='), 400, { type: 'validation_error', code: 'blank', detail: 'This field may not be blank.', attr: 'repo' });
      for (const bad of ['justname', 'a/b/c', '../x', 'a/..', 'a b/c']) {
        expectPosthog(await branches(`repo=${encodeURIComponent(bad)}`), 400, invalid('repo must be in owner/repo format'));
      }
      expectPosthog(await branches('repo=nope', '123456789'), 400, invalid('repo must be in owner/repo format'));
      expectPosthog(await branches(`repo=${encodeURIComponent(full())}&limit=1001`), 400, { type: 'validation_error', code: 'max_value', detail: 'Ensure this value is less than or equal to 1000.', attr: 'limit' });
    });

    it('answers 400 for non-GitHub integrations and 404 for repositories the installation does not reach', async () => {
      expectPosthog(await branches('repo=a/b', emailId), 400, invalid('github_branches endpoint is only supported for GitHub integrations'));
      expectPosthog(await branches('repo=someone/else'), 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
    });
  });

  describe('github_teams', () => {
    it("lists the organization's teams with search and paging, with and without the trailing slash", async () => {
      for (const slash of ['/', '']) {
        const res = await http(t.url, 'GET', `${base()}/${githubId}/github_teams${slash}`, { key: member.key });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ teams: [{ id: expect.any(Number), slug: 'platform', name: 'platform' }, { id: expect.any(Number), slug: 'web-ui', name: 'web-ui' }], has_more: false });
      }
      expect((await http(t.url, 'GET', `${base()}/${githubId}/github_teams/?search=WEB`, { key: t.key })).body.teams.map((x: { slug: string }) => x.slug)).toEqual(['web-ui']);
      expect((await http(t.url, 'GET', `${base()}/${githubId}/github_teams/?limit=1`, { key: t.key })).body).toMatchObject({ teams: [{ slug: 'platform' }], has_more: true });
    });

    it("answers upstream's 400 when GitHub refuses the list and for non-GitHub integrations", async () => {
      const project = await newProject('teams-second');
      const linked = await connectInstallation(t, second.id, second.account.login, t.organizationId, project);
      if (linked.kind !== 'connected') throw new Error('not connected');
      // The second installation lacks the `members` permission: GitHub answers 403.
      expectPosthog(await http(t.url, 'GET', `${base(project)}/${linked.integration.id}/github_teams/`, { key: t.key }), 400, invalid('Unable to fetch GitHub teams. Please check integration settings and try again.'));
      expectPosthog(await http(t.url, 'GET', `${base()}/${emailId}/github_teams/`, { key: t.key }), 400, invalid('github_teams endpoint is only supported for GitHub integrations'));
    });
  });

  describe('github/prepare_callback', () => {
    it('issues a state bound to the user, project and installation: 204, with and without the trailing slash', async () => {
      for (const slash of ['/', '']) {
        const before = await t.db.query(`SELECT count(*)::int AS n FROM oauth_states WHERE project_id = $1`, [t.projectId]);
        const res = await http(t.url, 'POST', `${base()}/github/prepare_callback${slash}`, { key: t.key, body: { next: '/project/settings', installation_id: String(first.id) } });
        expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
        const after = await t.db.query(`SELECT count(*)::int AS n FROM oauth_states WHERE project_id = $1`, [t.projectId]);
        expect(after.rows[0].n).toBe(before.rows[0].n + 1);
      }
      const latest = await t.db.query(`SELECT kind, user_id, next_path, data FROM oauth_states WHERE project_id = $1 AND data->>'flow' = 'team_update' ORDER BY created_at DESC LIMIT 1`, [t.projectId]);
      expect(latest.rows[0]).toEqual({ kind: 'github', user_id: t.userId, next_path: '/project/settings', data: { flow: 'team_update', installation_id: String(first.id) } });
      expect((await http(t.url, 'POST', `${base()}/github/prepare_callback/`, { key: t.key, body: {} })).status).toBe(204);
    });

    it('refuses a foreign next, a bad installation id and members', async () => {
      expectPosthog(await http(t.url, 'POST', `${base()}/github/prepare_callback/`, { key: t.key, body: { next: 'https://evil.test/' } }), 400, invalid('next must be a relative path starting with /'));
      expectPosthog(await http(t.url, 'POST', `${base()}/github/prepare_callback/`, { key: t.key, body: { installation_id: 'abc' } }), 400, invalid('Invalid installation_id'));
      expectPosthog(await http(t.url, 'POST', `${base()}/github/prepare_callback/`, { key: member.key, body: {} }), 403, noPermission);
    });
  });

  describe('POST integrations with kind github', () => {
    const create = (config: unknown, key = t.key, projectId = t.projectId, slash = '/') => http(t.url, 'POST', `${base(projectId)}${slash}`, { key, body: { kind: 'github', config } });

    it('requires installation_id, state and code, in that order', async () => {
      expectPosthog(await create({}), 400, invalid('An installation_id must be provided'));
      expectPosthog(await create({ installation_id: String(first.id), code: 'x' }), 400, invalid('A state token must be provided'));
      expectPosthog(await create({ installation_id: String(first.id), state: 'x' }), 400, invalid('An OAuth code must be provided'));
    });

    it("checks the state is this user's for this project, exchanges the code and checks the user sees the installation", async () => {
      const project = await newProject('setup-target');
      const invalidState = { type: 'validation_error', code: 'invalid_state', detail: 'Invalid or expired state token', attr: null };
      expectPosthog(await create({ installation_id: String(first.id), state: 'not-a-state', code: 'c' }, t.key, project), 400, invalidState);
      // A state issued for another project, and one already used.
      expectPosthog(await create({ installation_id: String(first.id), state: await githubState(t.projectId), code: 'c' }, t.key, project), 400, invalidState);
      const dev = fake.model.addUser('setup-dev', [first.id]);
      expectPosthog(await create({ installation_id: String(first.id), state: await githubState(project), code: 'wrong' }, t.key, project), 400, invalid('Failed to exchange the OAuth code — ensure GITHUB_APP_CLIENT_SECRET is configured'));
      expectPosthog(await create({ installation_id: 'abc', state: await githubState(project), code: fake.issueCode(dev.id) }, t.key, project), 400, invalid('Invalid installation_id'));
      expectPosthog(await create({ installation_id: String(second.id), state: await githubState(project), code: fake.issueCode(dev.id) }, t.key, project), 400, {
        type: 'validation_error',
        code: 'installation_access_denied',
        detail: 'You do not have access to this GitHub installation',
        attr: null,
      });
      const state = await githubState(project);
      const res = await create({ installation_id: first.id, state, code: fake.issueCode(dev.id) }, t.key, project, '');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'github', display_name: first.account.login, errors: '' });
      expect(res.body.config).toEqual({
        installation_id: String(first.id),
        account: { name: first.account.login, type: 'Organization' },
        repository_selection: 'all',
        expires_in: 3600,
        refreshed_at: expect.any(Number),
      });
      expect(Math.abs(res.body.config.refreshed_at - Date.now() / 1000)).toBeLessThan(120);
      expectPosthog(await create({ installation_id: String(first.id), state, code: fake.issueCode(dev.id) }, t.key, project), 400, invalidState);
      const links = await t.db.query('SELECT github_login FROM github_user_links WHERE user_id = $1', [t.userId]);
      expect(links.rows.map((r) => r.github_login)).toContain('setup-dev');
    });

    it('lets members add a GitHub integration but not overwrite one', async () => {
      const project = await newProject('member-setup');
      const memberGithub = fake.model.addUser('member-setup-gh', [first.id]);
      const created = await create({ installation_id: String(first.id), state: await githubState(project, member.key), code: fake.issueCode(memberGithub.id) }, member.key, project);
      expect(created.status).toBe(201);
      const again = await create({ installation_id: String(first.id), state: await githubState(project, member.key), code: fake.issueCode(memberGithub.id) }, member.key, project);
      expectPosthog(again, 403, { type: 'authentication_error', code: 'permission_denied', detail: 'Editing an existing integration requires project admin access.', attr: null });
    });
  });

  describe('github/link_existing and github/oauth_authorize', () => {
    const link = (projectId: string, body: unknown, key = t.key, slash = '/') => http(t.url, 'POST', `${base(projectId)}/github/link_existing${slash}`, { key, body });
    const oauth = (body: unknown, key = t.key, slash = '/') => http(t.url, 'POST', `${base()}/github/oauth_authorize${slash}`, { key, body });

    it('link_existing: an empty body, unknown teams and installations answer upstream texts', async () => {
      const target = await newProject('link-target');
      for (const slash of ['/', '']) expectPosthog(await link(target, {}, t.key, slash), 400, invalid('source_team_id or installation_id is required'));
      expectPosthog(await link(target, { source_team_id: null, installation_id: '' }), 400, invalid('source_team_id or installation_id is required'));
      expectPosthog(await link(target, { source_team_id: '00000000-0000-4000-8000-000000000000' }), 400, {
        type: 'validation_error',
        code: 'github_link_existing_source_team_not_found',
        detail: 'Source team not found in your organization',
        attr: null,
      });
      const bare = await newProject('link-bare');
      expectPosthog(await link(target, { source_team_id: bare }), 400, invalid('Source team does not have a GitHub integration'));
      expectPosthog(await link(target, { installation_id: 'abc' }), 400, invalid('Invalid installation_id'));
      expectPosthog(await link(target, { installation_id: '999999999' }), 400, {
        type: 'validation_error',
        code: 'github_link_existing_orphan_installation',
        detail: 'No team in your organization has this GitHub installation linked',
        attr: null,
      });
    });

    it("link_existing: reuses a sibling project's installation by source_team_id, in upstream's config shape", async () => {
      const target = await newProject('link-ok');
      const res = await link(target, { source_team_id: t.projectId, discovery_id: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'github', display_name: first.account.login, config: { installation_id: String(first.id), account: { name: first.account.login, type: 'Organization' }, expires_in: 3600 } });
    });

    it('link_existing: a member without a personal GitHub account that sees the installation is refused', async () => {
      const target = await newProject('link-member');
      const stranger = await addUser(t, 'member');
      expectPosthog(await link(target, { installation_id: first.id }, stranger.key), 400, {
        type: 'validation_error',
        code: 'github_link_existing_personal_github_required',
        detail: 'You must connect your personal GitHub account (via Linked Accounts) before linking an existing installation, to confirm you have access to the GitHub App installation.',
        attr: null,
      });
    });

    it('oauth_authorize: reads the body leniently and keeps connect_from posthog_code', async () => {
      for (const slash of ['/', '']) expectPosthog(await oauth({}, t.key, slash), 400, invalid('installation_id is required'));
      expectPosthog(await oauth({ installation_id: '' }), 400, invalid('installation_id is required'));
      expectPosthog(await oauth({ installation_id: 'abc' }), 400, invalid('Invalid installation_id'));
      expectPosthog(await oauth({ installation_id: first.id, next: '//evil.test' }), 400, invalid('next must be a relative path starting with /'));
      const ok = await oauth({ installation_id: first.id, next: '/x', connect_from: 'posthog_code' }, member.key);
      expect(ok.status).toBe(200);
      const state = new URL(ok.body.oauth_url).searchParams.get('state');
      const rows = await t.db.query(`SELECT data FROM oauth_states WHERE user_id = $1 AND data->>'connect_from' = 'posthog_code'`, [member.userId]);
      expect(rows.rows).toEqual([{ data: { installation_id: String(first.id), connect_from: 'posthog_code' } }]);
      expect(state).toBeTruthy();
      const ignored = await oauth({ installation_id: String(first.id), connect_from: 'elsewhere' });
      expect(ignored.status).toBe(200);
    });
  });

  it('renders GitHub integrations with upstream config fields on retrieve and list', async () => {
    // Another project reusing the installation makes it shared.
    expect((await http(t.url, 'POST', `${base(await newProject('render-shared'))}/github/link_existing/`, { key: t.key, body: { source_team_id: t.projectId } })).status).toBe(200);
    const one = await http(t.url, 'GET', `${base()}/${githubId}/`, { key: t.key });
    expect(one.body).toMatchObject({
      id: githubId,
      kind: 'github',
      display_name: first.account.login,
      errors: '',
      config: { installation_id: String(first.id), account: { name: first.account.login, type: 'Organization' }, repository_selection: 'all', expires_in: 3600, refreshed_at: expect.any(Number) },
    });
    expect(one.body.config.account.login).toBeUndefined();
    // IntegrationSerializer's GitHub-only fields; link_existing reused the installation in other projects.
    expect(one.body).toMatchObject({ files_write_requestable: false, installation_shared: true, installation_status: 'connected' });
    const email = await http(t.url, 'GET', `${base()}/${emailId}/`, { key: t.key });
    expect(email.body).toMatchObject({ files_write_requestable: false, installation_shared: null, installation_status: null });
    const listed = await http(t.url, 'GET', `${base()}/?kind=github`, { key: t.key });
    expect(listed.body.results.find((r: { id: string }) => r.id === githubId).config).toEqual(one.body.config);
  });

  it('property: no request to the GitHub routes yields a 5xx; every failure is PostHog-shaped', async () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('0', '1', '500', '501', '-1', '1e3', 'a/b', `${'x'}/${'y'}`, '../a', ''));
    const query = fc.record({ search: text, limit: text, offset: text, repo: text }, { requiredKeys: [] });
    const body = fc.oneof(
      json,
      fc.record({ installation_id: fc.oneof(json, fc.constant(String(first.id)), fc.constant(first.id)), next: fc.oneof(json, text), connect_from: fc.oneof(json, fc.constant('posthog_code')), source_team_id: fc.oneof(json, fc.constant(t.projectId)), discovery_id: json }, { requiredKeys: [] }),
    );
    const config = fc.oneof(json, fc.record({ installation_id: json, state: json, code: json }, { requiredKeys: [] }));
    const check = (res: HttpResult, label: string) => {
      expect({ label, ok: res.status < 500 }).toEqual({ label, ok: true });
      if (res.status >= 400) {
        expect({ label, body: res.body }).toEqual({ label, body: { type: expect.any(String), code: expect.any(String), detail: expect.any(String), attr: res.body?.attr === null ? null : expect.any(String) } });
      }
    };
    const target = await newProject('property');
    await fc.assert(
      fc.asyncProperty(query, body, config, fc.constantFrom(githubId, emailId, '123456789', 'x'), async (q, b, c, id) => {
        const qs = new URLSearchParams(q as Record<string, string>).toString();
        for (const route of ['github_repos', 'github_branches', 'github_teams']) {
          check(await http(t.url, 'GET', `${base()}/${id}/${route}/?${qs}`, { key: t.key }), `GET ${route} ?${qs}`);
        }
        check(await http(t.url, 'POST', `${base()}/${id}/github_repos/refresh/`, { key: t.key, body: b }), `POST refresh ${id}`);
        for (const route of ['github/prepare_callback', 'github/oauth_authorize', 'github/link_existing']) {
          check(await http(t.url, 'POST', `${base(target)}/${route}/`, { key: t.key, body: b }), `POST ${route} ${JSON.stringify(b).slice(0, 200)}`);
        }
        check(await http(t.url, 'POST', `${base(target)}/`, { key: t.key, body: { kind: 'github', config: c } }), `POST github ${JSON.stringify(c).slice(0, 200)}`);
      }),
      { numRuns: 40, interruptAfterTimeLimit: 60_000 },
    );
  });
});
