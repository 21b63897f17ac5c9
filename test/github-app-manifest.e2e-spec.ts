import { GithubAppSettingsService } from '../src/github/github-app-settings.service';
import { runDoctor } from '../src/startup/doctor.command';
import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addUser } from './support/identity';

/**
 * GitHub's App manifest flow on a hub without GITHUB_APP_* settings: an admin gets the form, "GitHub" (the fake)
 * creates the App and redirects back with a code, the hub converts it, stores the App sealed and mints with it.
 */
describe('GitHub App manifest flow', () => {
  let fake: FakeGithub;
  let t: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    t = await startTestHub({ env: { GITHUB_API_URL: fake.url, GITHUB_WEB_URL: fake.url, GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  /** What a browser does with the form page: POST the manifest to GitHub, follow GitHub's redirect to the hub. */
  async function submitToGithub(actionUrl: string, manifest: unknown): Promise<URL> {
    const res = await fetch(actionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ manifest: JSON.stringify(manifest) }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') as string);
  }

  it('names the missing variables while the hub has no App', async () => {
    // A hub of its own: the other tests register an App, and they may run first in a random order.
    const bare = await startTestHub({ env: { GITHUB_API_URL: fake.url, GITHUB_WEB_URL: fake.url, GITHUB_REQUEST_RETRIES: '0' } });
    try {
      const res = await http(bare.url, 'GET', `/api/projects/${bare.projectId}/integrations/authorize?kind=github`, { key: bare.key });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_SLUG');
      expect(bare.hub.app.get(GithubAppSettingsService).source).toBe('none');
    } finally {
      await bare.close();
    }
  });

  it('refuses the manifest to a member without MANAGE_ORGANISATION', async () => {
    const member = await addUser(t, 'member');
    expect((await http(t.url, 'POST', '/api/github/app-manifest', { key: member.key, body: {} })).status).toBe(403);
    expect((await http(t.url, 'POST', '/api/github/app-manifest', { body: {} })).status).toBe(401);
  });

  it('creates the App from the manifest, stores it sealed and mints installation tokens with it', async () => {
    const login = fake.installation.account.login;
    const begun = await http(t.url, 'POST', '/api/github/app-manifest', { key: t.key, body: { github_organization: login, name: 'Acme Hub', extra_permissions: { issues: 'write' } } });
    expect(begun.status).toBe(201);
    expect(begun.body.action_url).toBe(`${fake.url}/organizations/${login}/settings/apps/new?state=${encodeURIComponent(begun.body.state)}`);
    expect(begun.body.manifest).toEqual({
      name: 'Acme Hub',
      url: 'http://hub.example.test',
      hook_attributes: { url: 'http://hub.example.test/api/webhooks/github', active: true },
      redirect_url: 'http://hub.example.test/api/github/app-manifest/callback',
      callback_urls: ['http://hub.example.test/api/integrations/github/callback'],
      setup_url: 'http://hub.example.test/api/integrations/github/callback',
      setup_on_update: false,
      request_oauth_on_install: false,
      public: false,
      default_permissions: { metadata: 'read', administration: 'read', contents: 'read', members: 'read', vulnerability_alerts: 'read', secret_scanning_alerts: 'read', issues: 'write' },
      default_events: ['repository', 'branch_protection_rule', 'repository_ruleset', 'member', 'team', 'secret_scanning_alert'],
    });
    expect(begun.body.html).toContain(`<form action="${begun.body.action_url.replace(/&/g, '&#38;')}" method="post">`);

    const back = await submitToGithub(begun.body.action_url, begun.body.manifest);
    expect(back.origin + back.pathname).toBe('http://hub.example.test/api/github/app-manifest/callback');
    const done = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(done.status).toBe(200);
    const created = fake.manifestApps[0];
    expect(done.body).toEqual({
      app_id: String(created.id),
      slug: 'acme-hub',
      client_id: created.clientId,
      html_url: `${fake.url}/apps/acme-hub`,
      owner_login: login,
      install_url: `${fake.url}/apps/acme-hub/installations/new`,
      source: 'manifest',
    });
    expect(t.hub.app.get(GithubAppSettingsService).source).toBe('manifest');

    const row = (await t.db.query('SELECT * FROM github_app_registrations')).rows[0];
    expect(row).toMatchObject({ app_id: String(created.id), slug: 'acme-hub', client_id: created.clientId, organization_id: t.organizationId, created_by: t.userId });
    const stored = JSON.stringify(row);
    for (const secret of [created.pem.split('\n')[1], created.clientSecret, created.webhookSecret]) expect(stored).not.toContain(secret);

    // The App now authenticates the hub's GitHub calls: connect an installation, then mint through the broker.
    await connectInstallation(t, fake.installation.id, login);
    const minted = await http(t.url, 'POST', `/api/installations/${fake.installation.id}/access_tokens`, { key: t.key, body: {} });
    expect(minted.status).toBe(201);
    expect(fake.model.tokens.get(minted.body.token)).toMatchObject({ kind: 'installation', installationId: fake.installation.id });

    // `npm run doctor` sees the stored App.
    const lines: string[] = [];
    await runDoctor(t.env, (line) => lines.push(line));
    expect(lines).toContainEqual(expect.stringContaining(`provider github: configured; GitHub App acme-hub (id ${created.id})`));

    // The code and the state are single-use; a second App is refused.
    expect((await http(t.url, 'GET', `${back.pathname}${back.search}`)).status).toBe(400);
    const again = await http(t.url, 'POST', '/api/github/app-manifest', { key: t.key, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('GITHUB_APP_ALREADY_CONFIGURED');
  });

  it('lets GITHUB_APP_* settings win over the stored App', async () => {
    const envHub = await startTestHub({ databaseName: t.databaseName, env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    try {
      expect(envHub.hub.app.get(GithubAppSettingsService).source).toBe('environment');
      expect(envHub.hub.config.github.appId).toBe(String(fake.appId));
      const res = await http(envHub.url, 'POST', '/api/github/app-manifest', { key: t.key, body: {} });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('GITHUB_APP_* settings');
    } finally {
      await envHub.close();
    }
  });

  it('refuses a callback without a valid state', async () => {
    expect((await http(t.url, 'GET', '/api/github/app-manifest/callback?code=abc&state=forged')).status).toBe(400);
    expect((await http(t.url, 'GET', '/api/github/app-manifest/callback?code=abc')).status).toBe(400);
  });
});
