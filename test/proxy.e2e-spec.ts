import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { IntegrationProvider } from '../src/integrations/integration.enums';
import { FakeGithub } from './fakes/github/fake-github.server';
import { FakeServer, startFakeServer } from './fakes/fake-server';
import { GitlabFake, startGitlabFake } from './fakes/gitlab-fake';
import { JiraFake, JIRA_SITE, startJiraFake } from './fakes/jira-fake';
import { SlackFake, startSlackFake } from './fakes/slack-fake';
import { startTeamsFake, TeamsFake } from './fakes/teams-fake';
import { DiscordFake, startDiscordFake } from './fakes/token-providers-fake';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, keyWithScopes } from './support/identity';
import { startStreamingUpstream, StreamingUpstream } from './support/proxy-upstream';

const MANTIS_TOKEN = 'mantis-proxy-token';
const MB = 1024 * 1024;

describe('provider proxy (/api/proxy/{integration_id}/...)', () => {
  let t: TestHub;
  let github: FakeGithub;
  let gitlab: GitlabFake;
  let slack: SlackFake;
  let jira: JiraFake;
  let teams: TeamsFake;
  let discord: DiscordFake;
  let upstream: StreamingUpstream;
  let elsewhere: FakeServer;
  /** All scopes, pinned to the bootstrap organization (the owner also belongs to a second one). */
  let key: string;
  let mantisId: string;
  let otherOrganizationId: string;

  beforeAll(async () => {
    [github, gitlab, slack, jira, teams, discord, upstream, elsewhere] = await Promise.all([
      new FakeGithub({ repos: 4, installations: 1 }).start(),
      startGitlabFake(),
      startSlackFake(),
      startJiraFake(),
      startTeamsFake(),
      startDiscordFake(),
      startStreamingUpstream(MANTIS_TOKEN),
      startFakeServer(() => ({ json: { reached: 'elsewhere' } })),
    ]);
    t = await startTestHub({
      env: { ...github.env, ...gitlab.env, ...slack.env, ...jira.env, ...teams.env, ...discord.env, GITHUB_REQUEST_RETRIES: '0', PROXY_MAX_RETRY_WAIT_SECONDS: '3' },
    });
    key = await keyWithScopes(t, ['*'], t.key, { scoped_organization_id: t.organizationId });
    otherOrganizationId = (await addOrganization(t, 'Proxy other org')).organizationId;
    const mantis = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key, body: { token: MANTIS_TOKEN, url: upstream.url } });
    expect(mantis.status).toBeLessThan(300);
    mantisId = mantis.body.integration.id;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([github?.stop(), gitlab?.close(), slack?.close(), jira?.close(), teams?.close(), discord?.close(), upstream?.close(), elsewhere?.close()]);
  });

  const proxy = (method: string, integrationId: string, path: string, opts: { headers?: Record<string, string>; body?: unknown; key?: string } = {}) =>
    http(t.url, method, `/api/proxy/${integrationId}${path}`, { key: opts.key ?? key, headers: opts.headers, body: opts.body });

  /** A GET sent byte for byte (fetch would normalize `..` and refuse `Connection`): status, headers and JSON body. */
  function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${t.url}${path}`, { method: 'GET', headers: { authorization: `Bearer ${key}`, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Connects an OAuth provider through the hub's real authorize → consent → callback flow. */
  async function connectOAuth(kind: 'gitlab' | 'slack' | 'jira' | 'teams'): Promise<string> {
    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=${kind}&next=/done`, { key });
    expect(start.status).toBe(302);
    const consent = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    const callback = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    const rows = await t.db.query(`SELECT id::text AS id FROM integrations WHERE provider = $1 AND organization_id = $2 ORDER BY updated_at DESC LIMIT 1`, [kind, t.organizationId]);
    return rows.rows[0].id as string;
  }

  describe('credential injection, per provider', () => {
    it('GitHub: an installation token from the broker, narrowed by X-Hub-Github-Repositories/-Permissions', async () => {
      const { integration } = (await connectInstallation(t, github.installation.id, github.installation.account.login)) as { integration: { id: string } };
      const all = await proxy('GET', integration.id, '/installation/repositories', { headers: { accept: 'application/vnd.github+json' } });
      expect(all.status).toBe(200);
      expect(all.body.total_count).toBe(4);
      const one = all.body.repositories[0].name as string;

      const narrowed = await proxy('GET', integration.id, '/installation/repositories', { headers: { 'x-hub-github-repositories': one, 'x-hub-github-permissions': 'metadata=read' } });
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.repositories.map((r: { name: string }) => r.name)).toEqual([one]);
      const tokens = [...github.model.tokens.values()].filter((tk) => tk.kind === 'installation');
      expect(tokens.some((tk) => tk.repoIds?.length === 1 && tk.permissions?.metadata === 'read')).toBe(true);

      const bad = await proxy('GET', integration.id, '/installation/repositories', { headers: { 'x-hub-github-permissions': 'issues=everything' } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('PROXY_HEADER_INVALID');
    });

    it('GitHub: a 401 drops the cached token, mints a fresh one and retries once', async () => {
      const { integration } = (await connectInstallation(t, github.installation.id, github.installation.account.login)) as { integration: { id: string } };
      expect((await proxy('GET', integration.id, '/installation/repositories')).status).toBe(200);
      expect(github.mintCount(github.installation.id)).toBeGreaterThan(0);
      // GitHub revokes every token of the installation: the cached one now answers 401.
      for (const [value, tk] of github.model.tokens) if (tk.kind === 'installation') github.model.tokens.delete(value);
      const res = await proxy('GET', integration.id, '/installation/repositories');
      expect(res.status).toBe(200);
      expect(github.mintCount(github.installation.id)).toBe(1);
    });

    it('GitLab (personal access token): Bearer token; the provider pagination headers come back', async () => {
      const connected = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key, body: { token: 'glpat-good-token' } });
      const res = await proxy('GET', connected.body.integration.id, '/projects?per_page=5&page=2');
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(5);
      expect(res.headers.get('x-total')).toBe('45');
      expect(res.headers.get('x-page')).toBe('2');
      const seen = gitlab.requests.at(-1);
      expect(seen).toMatchObject({ path: '/api/v4/projects' });
      expect(seen?.headers.authorization).toBe('Bearer glpat-good-token');
      expect(seen?.query.get('per_page')).toBe('5');
    });

    it('GitLab (OAuth): a 401 refreshes the access token once and the call is retried', async () => {
      const id = await connectOAuth('gitlab');
      const first = await proxy('GET', id, '/user');
      expect(first.status).toBe(200);
      const used = gitlab.requests.at(-1)?.headers.authorization as string;
      gitlab.authority.accessTokens.delete(used.slice('Bearer '.length));
      const grants = gitlab.authority.grants.length;
      const res = await proxy('GET', id, '/user');
      expect(res.status).toBe(200);
      expect(res.body.username).toBe('acme-bot');
      expect(gitlab.authority.grants.slice(grants).map((g) => g.grant_type)).toEqual(['refresh_token']);
      expect(gitlab.requests.at(-1)?.headers.authorization).not.toBe(used);
    });

    it('GitLab (OAuth): a refused refresh returns the provider 401 and puts the integration in error', async () => {
      const id = await connectOAuth('gitlab');
      gitlab.authority.refuseRefresh = true;
      try {
        const used = (await proxy('GET', id, '/user'), gitlab.requests.at(-1)?.headers.authorization as string);
        gitlab.authority.accessTokens.delete(used.slice('Bearer '.length));
        const res = await proxy('GET', id, '/user');
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: '401 Unauthorized' });
        const row = (await t.db.query('SELECT status FROM integrations WHERE id = $1', [id])).rows[0];
        expect(row.status).toBe('error');
        expect((await proxy('GET', id, '/user')).status).toBe(409);
      } finally {
        gitlab.authority.refuseRefresh = false;
      }
    });

    it('Slack: Bearer bot token on the Web API', async () => {
      const id = await connectOAuth('slack');
      const res = await proxy('POST', id, '/auth.test', { body: {} });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, team_id: 'T0001' });
      expect(slack.authority.valid((slack.requests.at(-1)?.headers.authorization as string).slice(7))).toBe(true);
    });

    it('Jira: calls go beneath the granted site (/ex/jira/{cloudId})', async () => {
      const id = await connectOAuth('jira');
      const res = await proxy('GET', id, '/rest/api/3/myself');
      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe('Hub Bot');
      expect(jira.requests.at(-1)?.path).toBe(`/ex/jira/${JIRA_SITE.id}/rest/api/3/myself`);
      // Another site is out of reach: no `..`, raw or encoded, climbs out of the granted site. The hub's router
      // resolves dot segments before routing (so they stay inside the hub's own URL space, where they may name
      // another integration of the caller's organization, or nothing); a `..` hidden behind an encoded slash is refused.
      const seen = jira.requests.length;
      for (const path of ['/../../other-site-id/rest/api/3/myself', '/rest/%2e%2e/%2E%2E/%2e%2e/other-site-id/x', '/rest/..%2F..%2Fother-site-id/x', '/rest/api/3/../../../../x']) {
        expect([400, 404]).toContain((await rawGet(`/api/proxy/${id}${path}`)).status);
      }
      for (const seenRequest of jira.requests.slice(seen)) expect(seenRequest.path.startsWith(`/ex/jira/${JIRA_SITE.id}/`)).toBe(true);
    });

    it('Teams: Bearer token on Microsoft Graph', async () => {
      const id = await connectOAuth('teams');
      const res = await proxy('GET', id, '/me');
      expect(res.status).toBe(200);
      expect(res.body.userPrincipalName).toBe('AdeleV@contoso.com');
      expect(teams.requests.at(-1)?.path).toBe('/v1.0/me');
    });

    it('Discord: the webhook URL is the credential; the base itself is reachable and no header is added', async () => {
      const connected = await http(t.url, 'POST', '/api/integrations/discord/connect', { key, body: { webhook_url: discord.webhookUrl } });
      const res = await proxy('GET', connected.body.integration.id, '');
      expect(res.status).toBe(200);
      expect(res.body.id).toBe('223704706495545344');
      expect(JSON.stringify(res.body)).not.toContain('hook-secret-token');
      const seen = discord.requests.at(-1);
      expect(seen?.path).toBe(new URL(discord.webhookUrl).pathname);
      expect(seen?.headers.authorization).toBeUndefined();
    });

    it('MantisBT: the API token, bare, in Authorization; a provider 401 without refresh is returned as is', async () => {
      const res = await proxy('GET', mantisId, '/api/rest/users/me');
      expect(res.status).toBe(200);
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(MANTIS_TOKEN);
    });

    it('email integrations have no API to proxy', async () => {
      const email = await http(t.url, 'POST', '/api/integrations/email/connect', { key, body: { domain: 'mail.example.test', verify_token: 'vt', dkim_tokens: ['a', 'b', 'c'], region: 'us-east-1' } });
      expect(email.status).toBe(200);
      const res = await proxy('GET', email.body.integration.id, '/anything');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('PROXY_NOT_SUPPORTED');
    });
  });

  describe('retries', () => {
    it('429 with Retry-After is waited out and retried (GET default)', async () => {
      upstream.failNext(1, 429, 1);
      const started = Date.now();
      const res = await proxy('GET', mantisId, '/flaky');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(upstream.requests.filter((r) => r.url === '/flaky').length).toBeGreaterThanOrEqual(2);
    });

    it('X-Hub-Retries: 0 returns the provider 429 with its Retry-After; a Retry-After beyond the maximum wait is not waited', async () => {
      upstream.failNext(1, 429, 1);
      const none = await proxy('GET', mantisId, '/flaky', { headers: { 'x-hub-retries': '0' } });
      expect(none.status).toBe(429);
      expect(none.headers.get('retry-after')).toBe('1');

      upstream.failNext(1, 503, 60);
      const before = upstream.requests.filter((r) => r.url === '/flaky').length;
      const tooLong = await proxy('GET', mantisId, '/flaky', { headers: { 'x-hub-retries': '3' } });
      expect(tooLong.status).toBe(503);
      expect(tooLong.headers.get('retry-after')).toBe('60');
      // Not waited, so not retried: the provider saw exactly the one call (the test would time out after 60 s otherwise).
      expect(upstream.requests.filter((r) => r.url === '/flaky').length - before).toBe(1);
      upstream.failNext(0, 200);
    });

    it('POST is not retried by default; X-Hub-Retries lets it retry a 5xx', async () => {
      upstream.failNext(1, 502, 0);
      const seen = upstream.requests.length;
      expect((await proxy('POST', mantisId, '/flaky', { body: { a: 1 } })).status).toBe(502);
      expect(upstream.requests.length - seen).toBe(1);
      upstream.failNext(2, 502, 0);
      const retried = await proxy('POST', mantisId, '/flaky', { body: { a: 1 }, headers: { 'x-hub-retries': '2' } });
      expect(retried.status).toBe(200);
      const bad = await proxy('GET', mantisId, '/flaky', { headers: { 'x-hub-retries': 'lots' } });
      expect(bad.status).toBe(400);
    });
  });

  describe('streaming', () => {
    /** Peak RSS growth of this process (hub, upstream and client all live here) while `work` runs. */
    async function peakRssGrowth(work: () => Promise<void>): Promise<number> {
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      try {
        await work();
      } finally {
        clearInterval(timer);
      }
      return Math.max(peak, process.memoryUsage().rss) - base;
    }

    it('streams a large response with flat memory: 200 MB pass while the process grows far less than the body', async () => {
      // Warm-up: the first transfer of a process grows the heap whatever the path; measure the steady state.
      await (await fetch(`${t.url}/api/proxy/${mantisId}/bytes/${8 * MB}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
      let received = 0;
      // Node 24's V8 lets up to ~64 MB of young garbage (the chunks already sent) build up before a scavenge, so a
      // bound below that would measure the collector, not the proxy; a body four times larger than any such slack
      // shows the proxy holds no more than a window of it.
      const size = 200 * MB;
      const growth = await peakRssGrowth(async () => {
        const res = await fetch(`${t.url}/api/proxy/${mantisId}/bytes/${size}`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-length')).toBe(String(size));
        expect(res.headers.get('etag')).toBe('"bytes"');
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
      });
      expect(received).toBe(size);
      // Buffering the body would hold all 200 MB at once; the bound leaves room for the collector's slack.
      expect(growth).toBeLessThan(size * 0.8);
    });

    it('streams a large request body with flat memory: 200 MB pass while the process grows far less than the body', async () => {
      const chunk = Buffer.alloc(MB, 'y');
      const upload = async (size: number) => {
        const hash = createHash('sha256');
        const body = Readable.from(
          (function* () {
            for (let i = 0; i < size / MB; i++) {
              hash.update(chunk);
              yield chunk;
            }
          })(),
        );
        const res = await fetch(`${t.url}/api/proxy/${mantisId}/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body: Readable.toWeb(body),
          duplex: 'half',
        } as RequestInit);
        expect(res.status).toBe(201);
        expect(await res.json()).toEqual({ bytes: size, sha256: hash.digest('hex'), contentType: 'application/octet-stream' });
      };
      // Warm-up, as for responses: the first large transfer of a process grows V8's young generation to its working
      // size (up to 2 x 64 MB on Node 24) whatever the path, which run alone (or first) measured 120-150 MB of
      // "growth" that was the collector's, not the proxy's. Measured after it: what the proxy itself holds.
      await upload(64 * MB);
      const size = 200 * MB;
      const growth = await peakRssGrowth(() => upload(size));
      // Buffering would hold all 200 MB; the bound leaves room for the collector's slack.
      expect(growth).toBeLessThan(size * 0.5);
    });

    it('only the proxy streams: other routes still parse JSON and forms alone (415) within the body limit (413)', async () => {
      const text = await http(t.url, 'POST', '/api/personal_api_keys', { key, rawBody: 'label', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      const huge = await http(t.url, 'POST', '/api/personal_api_keys', { key, body: { label: 'z'.repeat(2 * MB), scopes: [] } });
      expect(huge.status).toBe(413);
    });

    it('a JSON body larger than the hub body limit is forwarded, not refused', async () => {
      const big = { blob: 'z'.repeat(2 * MB) };
      const res = await proxy('POST', mantisId, '/upload', { body: big });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ bytes: JSON.stringify(big).length, contentType: 'application/json' });
    });
  });

  describe('headers', () => {
    it('strips hop-by-hop and authentication headers both ways and passes provider headers back', async () => {
      const res = await rawGet(`/api/proxy/${mantisId}/headers`, { 'x-organization-id': t.organizationId, cookie: 'hub=1', 'x-hub-retries': '0', connection: 'x-caller-hop', 'x-caller-hop': '1', 'x-custom': 'kept', 'if-none-match': '"v1"' });
      expect(res.status).toBe(200);
      const sent = res.body.headers as Record<string, string>;
      expect(sent.authorization).toBe(MANTIS_TOKEN);
      expect(sent['x-custom']).toBe('kept');
      expect(sent['if-none-match']).toBe('"v1"');
      for (const dropped of ['cookie', 'x-organization-id', 'x-hub-retries', 'x-caller-hop']) expect(sent[dropped]).toBeUndefined();
      expect(JSON.stringify(sent)).not.toContain(key);

      expect(res.headers).toMatchObject({ link: '<https://provider.example/items?page=2>; rel="next"', etag: 'W/"abc"', 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000' });
      for (const dropped of ['set-cookie', 'www-authenticate', 'x-hop']) expect(res.headers[dropped]).toBeUndefined();
      expect(res.headers['keep-alive']).not.toBe('timeout=5');
      expect(res.headers['x-request-id']).toBeTruthy();
    });
  });

  describe('destination', () => {
    it.each([
      ['a .. behind an encoded slash', '/api%2F..%2F..%2Fadmin'],
      ['an absolute URL', '/http:%2F%2Fevil.example/x'],
      ['an empty segment', '/a//b'],
      ['a backslash', '/a%5c..%5cb'],
    ])('refuses %s (400)', async (_what, path) => {
      const seen = upstream.requests.length;
      const res = await rawGet(`/api/proxy/${mantisId}${path}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('PROXY_PATH_REFUSED');
      expect(upstream.requests.length).toBe(seen);
    });

    it('keeps percent-encoded slashes inside a segment (GitLab project paths)', async () => {
      const connected = await http(t.url, 'POST', '/api/integrations/gitlab/connect', { key, body: { token: 'glpat-good-token' } });
      await proxy('GET', connected.body.integration.id, '/projects/acme%2Fapi-0');
      expect(gitlab.requests.at(-1)?.path).toBe('/api/v4/projects/acme%2Fapi-0');
    });

    it('does not follow a redirect to another host; a redirect beneath the base is rewritten to the proxy', async () => {
      const away = await proxy('GET', mantisId, `/redirect?to=${encodeURIComponent(`${elsewhere.url}/steal`)}`);
      expect(away.status).toBe(302);
      expect(away.headers.get('location')).toBe(`${elsewhere.url}/steal`);
      expect(elsewhere.requests).toHaveLength(0);

      const within = await proxy('GET', mantisId, `/redirect?to=${encodeURIComponent(`${upstream.url}/api/rest/users/me?x=1`)}`);
      expect(within.status).toBe(302);
      expect(within.headers.get('location')).toBe(`/api/proxy/${mantisId}/api/rest/users/me?x=1`);
    });

    it('refuses private addresses when the outbound guard is on', async () => {
      const guarded = await startTestHub({ env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
      try {
        // Connecting over HTTP would be refused by the same guard: the row is written as if MantisBT had been
        // connected while its address was allowed (the state this test needs), through the service.
        const { integration } = await guarded.hub.app.get(IntegrationsService).upsert({
          organizationId: guarded.organizationId,
          projectId: null,
          provider: IntegrationProvider.Mantisbt,
          externalAccountId: `${upstream.url}#7`,
          displayName: 'private mantis',
          configuration: { url: upstream.url, username: 'hubbot' },
          credentials: { api_token: MANTIS_TOKEN },
          createdBy: guarded.userId,
        });
        const seen = upstream.requests.length;
        const res = await http(guarded.url, 'GET', `/api/proxy/${integration.id}/api/rest/users/me`, { key: guarded.key });
        expect(res.status).toBe(502);
        expect(res.body.code).toBe('PROXY_DESTINATION_REFUSED');
        expect(upstream.requests.length).toBe(seen);
      } finally {
        await guarded.close();
      }
    });
  });

  describe('access', () => {
    it("another organization's integration is 404", async () => {
      const connected = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, headers: { 'x-organization-id': otherOrganizationId }, body: { token: MANTIS_TOKEN, url: upstream.url } });
      expect(connected.status).toBe(200);
      const { integration } = connected.body;
      const seen = upstream.requests.length;
      const res = await proxy('GET', integration.id, '/api/rest/users/me');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('INTEGRATION_NOT_FOUND');
      expect((await proxy('GET', '99999999', '/api/rest/users/me')).status).toBe(404);
      expect(upstream.requests.length).toBe(seen);
    });

    it('a read-only key reads but is refused writes (403 naming the scope) before anything is sent', async () => {
      const readOnly = await keyWithScopes(t, ['integration:read'], t.key, { scoped_organization_id: t.organizationId });
      expect((await proxy('GET', mantisId, '/api/rest/users/me', { key: readOnly })).status).toBe(200);
      expect((await proxy('HEAD', mantisId, '/api/rest/users/me', { key: readOnly })).status).toBe(200);
      const seen = upstream.requests.length;
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await proxy(method, mantisId, '/upload', { key: readOnly, body: {} });
        expect(res.status).toBe(403);
        expect(res.body.message).toBe("API key missing required scope 'integration:write'");
      }
      expect(upstream.requests.length).toBe(seen);
      const noScope = await keyWithScopes(t, ['organization:read'], t.key, { scoped_organization_id: t.organizationId });
      expect((await proxy('GET', mantisId, '/api/rest/users/me', { key: noScope })).status).toBe(403);
      expect((await proxy('GET', mantisId, '/api/rest/users/me', { key: 'ihk_nope' })).status).toBe(401);
    });

    it('writes are in the audit log and every call is counted in the metrics', async () => {
      const res = await proxy('POST', mantisId, '/upload', { body: { hello: 'world' } });
      expect(res.status).toBe(201);
      const requestId = res.headers.get('x-request-id');
      const audit = await waitFor(async () => {
        const log = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?action=integration.proxy_post`, { key });
        return log.body.results?.find((e: { request_id: string }) => e.request_id === requestId);
      });
      expect(audit).toMatchObject({ action: 'integration.proxy_post', target: `integration:${mantisId}`, actor: t.userId });
      const reads = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?action=integration.proxy_get`, { key });
      expect(reads.body.count).toBe(0);
      const metrics = await http(t.url, 'GET', '/api/metrics', { key: t.env.METRICS_TOKEN });
      expect(metrics.text).toMatch(/hub_proxy_requests_total\{provider="mantisbt",method="POST",status="201"\} [1-9]/);
      expect(metrics.text).toContain('hub_proxy_upstream_duration_seconds_bucket');
    });

    it('per-integration concurrency is shared by replicas through Redis (429 rate_limited with Retry-After)', async () => {
      const first = await startTestHub({ env: { PROXY_MAX_CONCURRENCY: '1', PROXY_MAX_REQUESTS_PER_SECOND: '1000' } });
      let second: TestHub | undefined;
      try {
        second = await startTestHub({
          databaseName: first.databaseName,
          queuePrefix: first.env.QUEUE_PREFIX,
          env: { ENCRYPTION_KEYS: first.env.ENCRYPTION_KEYS, PROXY_MAX_CONCURRENCY: '1', PROXY_MAX_REQUESTS_PER_SECOND: '1000' },
        });
        const connected = await http(first.url, 'POST', '/api/integrations/mantisbt/connect', { key: first.key, body: { token: MANTIS_TOKEN, url: upstream.url } });
        const id = connected.body.integration.id as string;
        // A call in flight on the first replica (its body not read yet) holds the integration's only slot.
        const slow = await fetch(`${first.url}/api/proxy/${id}/bytes/${20 * MB}`, { headers: { authorization: `Bearer ${first.key}` } });
        expect(slow.status).toBe(200);
        const other = await http(second.url, 'GET', `/api/proxy/${id}/api/rest/users/me`, { key: first.key });
        expect(other.status).toBe(429);
        expect(other.body.code).toBe('rate_limited');
        expect(other.headers.get('retry-after')).toBe('1');
        await slow.arrayBuffer();
        const after = await waitFor(async () => {
          const res = await http(second!.url, 'GET', `/api/proxy/${id}/api/rest/users/me`, { key: first.key });
          return res.status === 200 ? res : null;
        });
        expect(after.body).toMatchObject({ name: 'hubbot' });
      } finally {
        await second?.close();
        await first.close();
      }
    });

    it('without Redis the concurrency limit holds in-process', async () => {
      const local = await startTestHub({ redis: false, env: { PROXY_MAX_CONCURRENCY: '1', PROXY_MAX_REQUESTS_PER_SECOND: '1000' } });
      try {
        const connected = await http(local.url, 'POST', '/api/integrations/mantisbt/connect', { key: local.key, body: { token: MANTIS_TOKEN, url: upstream.url } });
        const id = connected.body.integration.id as string;
        const slow = await fetch(`${local.url}/api/proxy/${id}/bytes/${20 * MB}`, { headers: { authorization: `Bearer ${local.key}` } });
        const refused = await http(local.url, 'GET', `/api/proxy/${id}/api/rest/users/me`, { key: local.key });
        expect(refused.status).toBe(429);
        expect(refused.body.message).toContain('concurrency');
        await slow.arrayBuffer();
        const after = await waitFor(async () => {
          const res = await http(local.url, 'GET', `/api/proxy/${id}/api/rest/users/me`, { key: local.key });
          return res.status === 200 ? res : null;
        });
        expect(after.status).toBe(200);
      } finally {
        await local.close();
      }
    });
  });
});
