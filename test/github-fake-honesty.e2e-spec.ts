import { loadAppPrivateKey, signAppJwt } from '../src/github/github-app-jwt';
import { FakeGithub } from './fakes/github/fake-github.server';
import { GithubOpenApi } from './support/github-openapi';

/** The fake's REST answers must match GitHub's published OpenAPI description. */
describe('fake GitHub honesty (@octokit/openapi)', () => {
  const github = new GithubOpenApi();
  let fake: FakeGithub;
  let jwt: string;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    jwt = signAppJwt(loadAppPrivateKey(fake.privateKeyPem), String(fake.appId)).jwt;
  });
  afterAll(() => fake?.stop());

  async function check(method: string, template: string, path: string, auth: string, status: number, body?: unknown): Promise<Record<string, any>> {
    const res = await fetch(fake.url + path, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect(res.status).toBe(status);
    const schema = github.responseSchema(method, template, status);
    const json = (await res.json()) as Record<string, any>;
    github.assert(schema, json, `${method} ${template}`);
    return json;
  }

  it('serves app, installation and user routes in GitHub shapes', async () => {
    const id = fake.installation.id;
    await check('GET', '/app/installations', '/app/installations', `Bearer ${jwt}`, 200);
    await check('GET', '/app/installations/{installation_id}', `/app/installations/${id}`, `Bearer ${jwt}`, 200);
    const minted = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${id}/access_tokens`, `Bearer ${jwt}`, 201, { repositories: ['repo-0000'] });
    await check('GET', '/installation/repositories', '/installation/repositories', `token ${minted.token}`, 200);
    const user = fake.model.addUser('honest', [id]);
    const code = fake.issueCode(user.id);
    const exchanged = await (await fetch(`${fake.url}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ client_id: fake.clientId, client_secret: fake.clientSecret, code }) })).json() as { access_token: string };
    await check('GET', '/user', '/user', `token ${exchanged.access_token}`, 200);
    await check('GET', '/user/installations', '/user/installations', `token ${exchanged.access_token}`, 200);
    await check('GET', '/app/installations/{installation_id}', '/app/installations/1', `Bearer ${jwt}`, 404);
  });

  it('serves the installation lookups by organization, repository and user', async () => {
    const { account } = fake.installation;
    const [repo] = fake.model.installationRepos(fake.installation);
    const byOrg = await check('GET', '/orgs/{org}/installation', `/orgs/${account.login.toUpperCase()}/installation`, `Bearer ${jwt}`, 200);
    const byRepo = await check('GET', '/repos/{owner}/{repo}/installation', `/repos/${account.login}/${repo.name}/installation`, `Bearer ${jwt}`, 200);
    expect([byOrg.id, byRepo.id]).toEqual([fake.installation.id, fake.installation.id]);
    const person = fake.model.addAccount('solo-dev', 'User');
    const personal = fake.model.addInstallation(person, fake.model.addRepos(person, 1));
    expect((await check('GET', '/users/{username}/installation', `/users/${person.login}/installation`, `Bearer ${jwt}`, 200)).id).toBe(personal.id);
    await check('GET', '/repos/{owner}/{repo}/installation', `/repos/${account.login}/no-such-repo/installation`, `Bearer ${jwt}`, 404);
    expect((await fetch(`${fake.url}/orgs/${person.login}/installation`, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(404);
    fake.model.installations.delete(personal.id);
  });

  it('serves the organization-level routes an org scan reads (teams, team repositories, secret scanning alerts)', async () => {
    const org = fake.installation.account;
    const [repo] = fake.model.installationRepos(fake.installation);
    fake.model.addTeam(org, 'platform', [[repo, 'admin']]);
    repo.openSecretScanningAlerts = 2;
    fake.installation.permissions = { ...fake.installation.permissions, members: 'read', secret_scanning_alerts: 'read' };
    const { token } = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${jwt}`, 201);
    const teams = await check('GET', '/orgs/{org}/teams', `/orgs/${org.login}/teams?per_page=100`, `token ${token}`, 200);
    expect(teams).toEqual([expect.objectContaining({ slug: 'platform' })]);
    const repos = await check('GET', '/orgs/{org}/teams/{team_slug}/repos', `/orgs/${org.login}/teams/platform/repos?per_page=100`, `token ${token}`, 200);
    expect(repos).toEqual([expect.objectContaining({ id: repo.id, role_name: 'admin', permissions: expect.objectContaining({ admin: true }) })]);
    const alerts = await check('GET', '/orgs/{org}/secret-scanning/alerts', `/orgs/${org.login}/secret-scanning/alerts?state=open&per_page=100`, `token ${token}`, 200);
    expect(alerts.map((a: { repository: { id: number }; number: number }) => [a.repository.id, a.number])).toEqual([[repo.id, 1], [repo.id, 2]]);
    fake.model.secretScanningDisabled.add(org.login);
    await check('GET', '/orgs/{org}/secret-scanning/alerts', `/orgs/${org.login}/secret-scanning/alerts`, `token ${token}`, 404);
    fake.model.secretScanningDisabled.delete(org.login);
    // Without the permission GitHub answers 403 naming it (the path documents no 403 body: checked by hand).
    const narrow = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${jwt}`, 201, { permissions: { metadata: 'read' } });
    const denied = await fetch(`${fake.url}/orgs/${org.login}/secret-scanning/alerts`, { headers: { authorization: `token ${narrow.token}` } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('secret_scanning_alerts=read');
    expect(await denied.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    await check('GET', '/orgs/{org}/teams', `/orgs/${org.login}/teams`, `token ${narrow.token}`, 403);
  });

  it('registers an App from a manifest: the form redirects with a code, the conversion answers its credentials once', async () => {
    const manifest = { name: 'Hub Honesty', url: 'https://hub.example', redirect_url: 'https://hub.example/cb', default_permissions: { metadata: 'read' }, default_events: ['repository'] };
    const form = await fetch(`${fake.url}/organizations/${fake.installation.account.login}/settings/apps/new?state=s1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ manifest: JSON.stringify(manifest) }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(302);
    const back = new URL(form.headers.get('location') as string);
    expect([back.origin + back.pathname, back.searchParams.get('state')]).toEqual(['https://hub.example/cb', 's1']);
    const code = back.searchParams.get('code') as string;
    const app = await check('POST', '/app-manifests/{code}/conversions', `/app-manifests/${code}/conversions`, '', 201);
    expect(app).toMatchObject({ slug: 'hub-honesty', permissions: { metadata: 'read' }, events: ['repository'], owner: { login: fake.installation.account.login } });
    const appJwt = signAppJwt(loadAppPrivateKey(app.pem), String(app.id)).jwt;
    await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${appJwt}`, 201);
    expect((await fetch(`${fake.url}/app-manifests/${code}/conversions`, { method: 'POST' })).status).toBe(404);
  });

  it('serves the organization settings, Actions defaults, owners, repositories with security_and_analysis and repository webhooks in GitHub shapes', async () => {
    const org = fake.installation.account;
    org.owners = ['boss'];
    const [repo] = fake.model.installationRepos(fake.installation);
    repo.hooks = [{ id: 7, url: 'https://ci.example.com/hook', secret: true }];
    fake.installation.permissions = { ...fake.installation.permissions, members: 'read', organization_administration: 'read', repository_hooks: 'read' };
    const { token } = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${jwt}`, 201);
    const full = await check('GET', '/orgs/{org}', `/orgs/${org.login}`, `token ${token}`, 200);
    expect(full).toMatchObject({ login: org.login, two_factor_requirement_enabled: true, default_repository_permission: 'read', members_can_create_public_repositories: false, members_can_fork_private_repositories: false });
    expect(await check('GET', '/orgs/{org}/actions/permissions', `/orgs/${org.login}/actions/permissions`, `token ${token}`, 200)).toMatchObject({ enabled_repositories: 'all', allowed_actions: 'selected' });
    expect(await check('GET', '/orgs/{org}/actions/permissions/workflow', `/orgs/${org.login}/actions/permissions/workflow`, `token ${token}`, 200)).toEqual({ default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
    expect(await check('GET', '/orgs/{org}/members', `/orgs/${org.login}/members?role=admin&per_page=100`, `token ${token}`, 200)).toEqual([expect.objectContaining({ login: 'boss' })]);
    const listed = await check('GET', '/orgs/{org}/repos', `/orgs/${org.login}/repos?type=all&per_page=100`, `token ${token}`, 200);
    expect(listed[0]).toMatchObject({ id: repo.id, security_and_analysis: { secret_scanning: { status: 'enabled' }, secret_scanning_push_protection: { status: 'enabled' } } });
    const hooks = await check('GET', '/repos/{owner}/{repo}/hooks', `/repos/${org.login}/${repo.name}/hooks?per_page=100`, `token ${token}`, 200);
    expect(hooks).toEqual([expect.objectContaining({ id: 7, active: true, config: expect.objectContaining({ url: 'https://ci.example.com/hook', secret: '********', insecure_ssl: '0' }) })]);
    // Without organization_administration GitHub leaves the owners-only settings out of the organization.
    const narrow = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${jwt}`, 201, { permissions: { metadata: 'read' } });
    expect(await check('GET', '/orgs/{org}', `/orgs/${org.login}`, `token ${narrow.token}`, 200)).not.toHaveProperty('two_factor_requirement_enabled');
    const denied = await fetch(`${fake.url}/repos/${org.login}/${repo.name}/hooks`, { headers: { authorization: `token ${narrow.token}` } });
    expect([denied.status, denied.headers.get('x-accepted-github-permissions')]).toEqual([403, 'repository_hooks=read']);
  });

  it("serves a repository's branches (the PostHog face's github_branches) in GitHub's short-branch shape", async () => {
    const [repo] = fake.model.installationRepos(fake.installation);
    repo.branches = ['develop', 'release/1.0'];
    const { token } = await check('POST', '/app/installations/{installation_id}/access_tokens', `/app/installations/${fake.installation.id}/access_tokens`, `Bearer ${jwt}`, 201);
    const path = `/repos/${fake.installation.account.login}/${repo.name}/branches`;
    const branches = await check('GET', '/repos/{owner}/{repo}/branches', `${path}?per_page=100`, `token ${token}`, 200);
    expect(branches.map((b: { name: string }) => b.name)).toEqual(['develop', 'main', 'release/1.0']);
    await check('GET', '/repos/{owner}/{repo}/branches', `/repos/${fake.installation.account.login}/no-such-repo/branches`, `token ${token}`, 404);
    delete repo.branches;
  });

  it('verifies JWTs and tokens like GitHub, paginates and answers 304 to a matching ETag', async () => {
    const key = loadAppPrivateKey(fake.privateKeyPem);
    const expired = signAppJwt(key, String(fake.appId), Date.now() - 20 * 60_000).jwt;
    const wrongIssuer = signAppJwt(key, '1', Date.now()).jwt;
    for (const bad of [expired, wrongIssuer, 'not.a.jwt']) {
      expect((await fetch(`${fake.url}/app/installations`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
    }
    expect((await fetch(`${fake.url}/installation/repositories`, { headers: { authorization: 'token ghs_unknown' } })).status).toBe(401);
    const first = await fetch(`${fake.url}/app/installations?per_page=1`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(first.headers.get('link')).toBeNull();
    const etag = first.headers.get('etag') as string;
    const again = await fetch(`${fake.url}/app/installations?per_page=1`, { headers: { authorization: `Bearer ${jwt}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const stats = (await (await fetch(`${fake.url}/_fake/stats`)).json()) as { byRoute: Record<string, number> };
    expect(stats.byRoute['GET /app/installations']).toBeGreaterThanOrEqual(5);
  });
});
