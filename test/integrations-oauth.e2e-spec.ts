import { OAuthAuthority } from './fakes/oauth-authority';
import { FakeServer } from './fakes/fake-server';
import { startGitlabFake } from './fakes/gitlab-fake';
import { startJiraFake } from './fakes/jira-fake';
import { startSlackFake } from './fakes/slack-fake';
import { startTeamsFake } from './fakes/teams-fake';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

type OAuthFake = FakeServer & { authority: OAuthAuthority; env: Record<string, string> };

describe('OAuth providers: authorize → callback → integration → health → refresh → failed refresh', () => {
  let t: TestHub;
  const fakes: Record<string, OAuthFake> = {};

  beforeAll(async () => {
    [fakes.slack, fakes.gitlab, fakes.jira, fakes.teams] = await Promise.all([startSlackFake(), startGitlabFake(), startJiraFake(), startTeamsFake()]);
    t = await startTestHub({ env: { ...fakes.slack.env, ...fakes.gitlab.env, ...fakes.jira.env, ...fakes.teams.env } });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  });

  const cases = [
    { kind: 'slack', pkce: false, displayName: 'Acme Slack', externalAccount: 'T0001', healthDetail: { teamId: 'T0001' }, repos: 3 },
    { kind: 'gitlab', pkce: true, displayName: 'acme-bot', externalAccount: '4242', healthDetail: { username: 'acme-bot' }, repos: 45 },
    { kind: 'teams', pkce: true, displayName: 'Adele Vance', externalAccount: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', healthDetail: { user: 'AdeleV@contoso.com' }, repos: 1 },
    { kind: 'jira', pkce: false, displayName: 'acme', externalAccount: '11223344-a1b2-3b33-c444-def123456789', healthDetail: { site: 'acme' }, repos: 2 },
  ];

  it.each(cases)('$kind: full round trip', async ({ kind, pkce, displayName, externalAccount, healthDetail, repos }) => {
    const fake = fakes[kind];
    fake.authority.lifetimeSeconds = 2;
    fake.authority.refuseRefresh = false;

    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=${kind}&next=/done/${kind}`, { key: t.key });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.origin).toBe(fake.url);
    expect(authorize.searchParams.get('client_id')).toBe(`${kind}-client`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://hub.example.test/api/integrations/${kind}/callback`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('scope')).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge_method')).toBe(pkce ? 'S256' : null);
    expect(start.headers.get('set-cookie')).toContain('Max-Age=300');

    // The user consents at the provider, which redirects back to the hub with a code.
    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location') as string);
    const callback = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`http://hub.example.test/done/${kind}`);
    const exchange = fake.authority.grants.at(-1) as Record<string, string>;
    expect(exchange.grant_type).toBe('authorization_code');
    expect(Boolean(exchange.code_verifier)).toBe(pkce);

    const replay = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ type: 'validation_error', attr: 'state' });

    const list = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/?kind=${kind}`, { key: t.key });
    expect(list.body.count).toBe(1);
    const integration = list.body.results[0];
    expect(integration).toMatchObject({ kind, display_name: displayName, errors: '', created_by: { id: t.userId } });
    const row = (await t.db.query('SELECT * FROM integrations WHERE id = $1', [integration.id])).rows[0];
    expect(row).toMatchObject({ external_account_id: externalAccount, project_id: t.projectId, status: 'connected' });
    for (const token of fake.authority.accessTokens) expect(row.sealed_credentials).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toMatch(/-at-|-rt-/);

    const health = await http(t.url, 'GET', `/api/integrations/${kind}/health?integrationId=${integration.id}`, { key: t.key });
    expect(health.body).toMatchObject({ healthy: true, details: healthDetail });
    const listed = await http(t.url, 'GET', `/api/integrations/${kind}/repos?integrationId=${integration.id}&per_page=100`, { key: t.key });
    expect(listed.body.total).toBe(repos);

    // Half of the 2-second lifetime has passed: the next call refreshes first.
    await sleep(1100);
    const grantsBefore = fake.authority.grants.length;
    const refreshed = await http(t.url, 'GET', `/api/integrations/${kind}/health?integrationId=${integration.id}`, { key: t.key });
    expect(refreshed.body.healthy).toBe(true);
    expect(fake.authority.grants.slice(grantsBefore).map((g) => g.grant_type)).toEqual(['refresh_token']);
    const after = (await t.db.query('SELECT sealed_credentials, credentials_expires_at FROM integrations WHERE id = $1', [integration.id])).rows[0];
    expect(after.sealed_credentials).not.toBe(row.sealed_credentials);

    fake.authority.refuseRefresh = true;
    await sleep(1100);
    const failed = await http(t.url, 'GET', `/api/integrations/${kind}/health?integrationId=${integration.id}`, { key: t.key });
    expect(failed.status).toBe(200);
    expect(failed.body.healthy).toBe(false);
    expect(failed.body.details.error).toContain('could not be refreshed. Please reconnect');
    const errored = (await t.db.query('SELECT status, errors FROM integrations WHERE id = $1', [integration.id])).rows[0];
    expect(errored.status).toBe('error');
    expect(errored.errors).toContain('could not be refreshed. Please reconnect');
    const shown = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/${integration.id}`, { key: t.key });
    expect(shown.body.errors).toContain('Please reconnect');
  });

  it('refuses unknown and unconfigured kinds with PostHog errors', async () => {
    const unknown = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=myspace`, { key: t.key });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ type: 'validation_error', detail: 'Kind not supported', attr: 'kind' });
    const unconfigured = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=discord`, { key: t.key });
    expect(unconfigured.status).toBe(400);
    expect(unconfigured.body.detail).toBe('Kind not configured: set DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET to connect Discord (see docs/providers/)');
    const workspace = await http(t.url, 'POST', '/api/integrations/discord/connect', { key: t.key, body: {} });
    expect(workspace.status).toBe(400);
    expect(workspace.body).toMatchObject({ code: 'KIND_NOT_CONFIGURED', details: { missing: ['DISCORD_CLIENT_ID', 'DISCORD_CLIENT_SECRET'] } });
    expect(workspace.body.message).toContain('DISCORD_CLIENT_ID');
  });

  it('workspace connect for an OAuth provider answers with the authorize URL', async () => {
    const res = await http(t.url, 'POST', '/api/integrations/slack/connect', { key: t.key, body: { next: '/settings' } });
    expect(res.status).toBe(200);
    expect(res.body.connected).toBe(false);
    expect(new URL(res.body.authorizeUrl).searchParams.get('state')).toBeTruthy();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
