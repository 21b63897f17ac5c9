import { SlackFake, startSlackFake } from './fakes/slack-fake';
import { startTeamsFake, TeamsFake } from './fakes/teams-fake';
import { waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** Real provider redirects: extra parameters, denials and stale states seen from a browser; sync of an errored integration. */
describe('OAuth callbacks as providers really redirect, and sync of an integration in error', () => {
  let t: TestHub;
  let teams: TeamsFake;
  let slack: SlackFake;

  beforeAll(async () => {
    [teams, slack] = await Promise.all([startTeamsFake(), startSlackFake()]);
    t = await startTestHub({ env: { ...teams.env, ...slack.env } });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([teams?.close(), slack?.close()]);
  });

  async function begin(kind: string, next: string): Promise<URL> {
    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=${kind}&next=${next}`, { key: t.key });
    expect(start.status).toBe(302);
    return new URL(start.headers.get('location') as string);
  }

  it('Teams connects from a Microsoft redirect carrying session_state (and iss)', async () => {
    const consent = await fetch(await begin('teams', '/done/teams'), { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    expect(back.searchParams.get('session_state')).toMatch(/^[0-9a-f-]{36}$/);
    back.searchParams.set('iss', 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0');
    const callback = await http(t.url, 'GET', `${back.pathname}${back.search}`, { headers: BROWSER });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('http://hub.example.test/done/teams');
    const row = (await t.db.query("SELECT status FROM integrations WHERE provider = 'teams'")).rows[0];
    expect(row.status).toBe('connected');
  });

  it('a denial with error_uri lands the browser back on next with the reason; an API client gets the JSON error', async () => {
    const authorize = await begin('teams', '/settings/integrations');
    const state = authorize.searchParams.get('state') as string;
    const denial = new URLSearchParams({
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
      error_uri: 'https://login.microsoftonline.com/error?code=65004',
      state,
      session_state: '3b6e1d4f-8f2e-4c4a-9f6b-2a1c0d9e7b11',
    });
    const res = await http(t.url, 'GET', `/api/integrations/teams/callback?${denial}`, { headers: BROWSER });
    expect(res.status).toBe(302);
    const landed = new URL(res.headers.get('location') as string);
    expect(`${landed.origin}${landed.pathname}`).toBe('http://hub.example.test/settings/integrations');
    expect(landed.searchParams.get('integration_error')).toBe('PROVIDER_DENIED');
    expect(landed.searchParams.get('integration_error_description')).toContain('User declined to consent');

    const again = await begin('teams', '/settings/integrations');
    denial.set('state', again.searchParams.get('state') as string);
    const api = await http(t.url, 'GET', `/api/integrations/teams/callback?${denial}`);
    expect(api.status).toBe(400);
    expect(api.body).toMatchObject({ type: 'validation_error', code: 'provider_denied' });
  });

  it('a rejected code lands back on next; a stale state shows a small readable page', async () => {
    const authorize = await begin('slack', '/slack-done');
    const state = authorize.searchParams.get('state') as string;
    const rejected = await http(t.url, 'GET', `/api/integrations/slack/callback?code=not-a-code&state=${state}`, { headers: BROWSER });
    expect(rejected.status).toBe(302);
    const landed = new URL(rejected.headers.get('location') as string);
    expect(landed.pathname).toBe('/slack-done');
    expect(landed.searchParams.get('integration_error')).toBe('CODE_REJECTED');

    const stale = await http(t.url, 'GET', `/api/integrations/slack/callback?code=whatever&state=${state}`, { headers: BROWSER });
    expect(stale.status).toBe(400);
    expect(stale.headers.get('content-type')).toContain('text/html');
    expect(stale.text).toContain('Invalid or expired state: start the flow again');
    const injected = await http(t.url, 'GET', `/api/integrations/slack/callback?code=x&state=%3Cscript%3E`, { headers: BROWSER });
    expect(injected.text).not.toContain('<script>');
  });

  it('Slack scopes are comma-separated, as Slack documents', async () => {
    const authorize = await begin('slack', '/x');
    expect(authorize.searchParams.get('scope')).toBe('chat:write,channels:read,groups:read,team:read');
  });

  it('sync of an integration in error answers 409 with the reason', async () => {
    const consent = await fetch(await begin('slack', '/slack'), { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    expect((await http(t.url, 'GET', `${back.pathname}${back.search}`)).status).toBe(302);
    const { id } = (await t.db.query("SELECT id FROM integrations WHERE provider = 'slack'")).rows[0];
    await t.db.query("UPDATE integrations SET status = 'error', errors = 'The Slack token could not be refreshed. Please reconnect' WHERE id = $1", [id]);
    const sync = await http(t.url, 'POST', `/api/integrations/${id}/sync`, { key: t.key });
    expect(sync.status).toBe(409);
    expect(sync.body.code).toBe('INTEGRATION_ERROR');
    expect(JSON.stringify(sync.body)).toContain('Please reconnect');
  });

  it('Slack repositories and sync page through conversations.list once per call and keep channels past 2,000', async () => {
    const extra = Array.from({ length: 2342 }, (_, i) => ({ id: `CX${i}`, name: `team-${i}`, is_private: i % 7 === 0 }));
    slack.channels.push(...extra);
    try {
      const consent = await fetch(await begin('slack', '/slack'), { redirect: 'manual' });
      const back = new URL(consent.headers.get('location') as string);
      expect((await http(t.url, 'GET', `${back.pathname}${back.search}`)).status).toBe(302);
      const { id } = (await t.db.query("SELECT id FROM integrations WHERE provider = 'slack'")).rows[0];
      const listCalls = () => slack.requests.filter((r) => r.path === '/api/conversations.list').length;
      const pages = Math.ceil(slack.channels.length / 200);

      let before = listCalls();
      const last = await http(t.url, 'GET', `/api/integrations/slack/repos?integrationId=${id}&per_page=100&page=24`, { key: t.key });
      expect(last.status).toBe(200);
      expect(last.body.total).toBe(2345);
      expect(last.body.repos.map((r: { name: string }) => r.name)).toContain('Acme Slack/team-2341');
      expect(listCalls() - before).toBe(pages);

      before = listCalls();
      const sync = await http(t.url, 'POST', `/api/integrations/${id}/sync`, { key: t.key });
      expect(sync.status).toBe(202);
      const synced = await waitFor(async () => {
        const row = (await t.db.query('SELECT last_synced_at, metadata FROM integrations WHERE id = $1', [id])).rows[0];
        return row.last_synced_at ? row : null;
      }, 20_000);
      expect(synced.metadata.repos_total).toBe(2345);
      expect(synced.metadata.repos).toHaveLength(2345);
      expect(listCalls() - before).toBe(pages);
    } finally {
      slack.channels.splice(3);
    }
  });
});
