import { OAuthAuthority } from './fakes/oauth-authority';
import { FakeServer } from './fakes/fake-server';
import { startGitlabFake } from './fakes/gitlab-fake';
import { startJiraFake } from './fakes/jira-fake';
import { startSlackFake } from './fakes/slack-fake';
import { startTeamsFake } from './fakes/teams-fake';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

type OAuthFake = FakeServer & { authority: OAuthAuthority; env: Record<string, string> };

const LIFETIME_S = 6;

/**
 * Token refresh under real traffic: two hub replicas on one database, providers whose refresh tokens are single
 * use and rotate (Slack, GitLab, Atlassian, Microsoft), and token endpoints that fail transiently.
 */
describe('OAuth refresh: single flight across replicas, transient failures retried', () => {
  let a: TestHub;
  let b: TestHub;
  const fakes: Record<string, OAuthFake> = {};

  beforeAll(async () => {
    [fakes.slack, fakes.gitlab, fakes.jira, fakes.teams] = await Promise.all([startSlackFake(), startGitlabFake(), startJiraFake(), startTeamsFake()]);
    const env = { ...fakes.slack.env, ...fakes.gitlab.env, ...fakes.jira.env, ...fakes.teams.env };
    a = await startTestHub({ env });
    // The second replica shares the database, the sealing keys and so the bootstrap key.
    b = await startTestHub({ env: { ...env, ENCRYPTION_KEYS: a.env.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: a.env.BOOTSTRAP_API_KEY }, databaseName: a.databaseName });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  });

  /** Runs the browser flow on replica A; resolves with the integration id and when its tokens were issued. */
  async function connect(kind: string): Promise<{ id: string; issuedAt: number }> {
    const fake = fakes[kind];
    fake.authority.lifetimeSeconds = LIFETIME_S;
    const start = await http(a.url, 'GET', `/api/projects/${a.projectId}/integrations/authorize?kind=${kind}&next=/done`, { key: a.key });
    const consent = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    const issuedAt = Date.now();
    const callback = await http(a.url, 'GET', `${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    const list = await http(a.url, 'GET', `/api/projects/${a.projectId}/integrations/?kind=${kind}`, { key: a.key });
    return { id: list.body.results[0].id as string, issuedAt };
  }

  /** Waits until half the token lifetime (counted from `from`) has passed, so the next call refreshes. */
  async function untilRefreshDue(from: number): Promise<void> {
    const due = from + (LIFETIME_S * 1000) / 2 + 50;
    while (Date.now() < due) await new Promise((r) => setTimeout(r, 25));
  }

  async function status(id: string): Promise<{ status: string; errors: string | null }> {
    return (await a.db.query('SELECT status, errors FROM integrations WHERE id = $1', [id])).rows[0];
  }

  const refreshGrants = (fake: OAuthFake) => fake.authority.grants.filter((g) => g.grant_type === 'refresh_token').length;

  it.each(['slack', 'gitlab', 'jira', 'teams'])('%s: 4 then 40 concurrent calls on two replicas at refresh time give one refresh each time', async (kind) => {
    const fake = fakes[kind];
    fake.authority.tokenDelayMs = 150;
    try {
      const connected = await connect(kind);
      const { id } = connected;
      // When the current tokens were issued at the latest.
      let issuedBy = Date.now();
      for (const parallel of [4, 40]) {
        const before = { grants: refreshGrants(fake), accepted: fake.authority.refreshesAccepted };
        await untilRefreshDue(issuedBy);
        const batchStart = Date.now();
        const calls = Array.from({ length: parallel }, (_, i) => {
          const hub = i % 2 === 0 ? a : b;
          const path = i % 4 < 2 ? `/api/integrations/${kind}/health?integrationId=${id}` : `/api/integrations/${kind}/repos?integrationId=${id}`;
          return http(hub.url, 'GET', path, { key: a.key });
        });
        const answers = await Promise.all(calls);
        issuedBy = Date.now();
        // The batch must fit in half a lifetime, or a second refresh would be legitimate.
        expect(Date.now() - batchStart).toBeLessThan((LIFETIME_S * 1000) / 2);
        for (const [i, res] of answers.entries()) {
          expect(res.status).toBe(200);
          if (i % 4 < 2) expect(res.body).toMatchObject({ healthy: true });
          else expect(res.body.total).toBeGreaterThan(0);
        }
        expect(refreshGrants(fake) - before.grants).toBe(1);
        expect(fake.authority.refreshesAccepted - before.accepted).toBe(1);
        expect(await status(id)).toEqual({ status: 'connected', errors: null });
      }
    } finally {
      fake.authority.tokenDelayMs = 0;
    }
  });

  it.each([
    { kind: 'gitlab', outage: { status: 503, text: 'Service Unavailable' } },
    { kind: 'teams', outage: { status: 503, json: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.' } } },
    { kind: 'jira', outage: { status: 429, headers: { 'retry-after': '1' }, json: { error: 'rate_limited' } } },
    { kind: 'slack', outage: { status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } } },
    { kind: 'slack', outage: { json: { ok: false, error: 'service_unavailable' } } },
  ])('$kind: one $outage.status answer during refresh is retried and the integration stays healthy', async ({ kind, outage }) => {
    const fake = fakes[kind];
    const { id, issuedAt } = await connect(kind);
    await untilRefreshDue(issuedAt);
    const before = refreshGrants(fake);
    fake.authority.outages.push(outage);
    const started = Date.now();
    const res = await http(a.url, 'GET', `/api/integrations/${kind}/health?integrationId=${id}`, { key: a.key });
    expect(res.body).toMatchObject({ healthy: true });
    expect(refreshGrants(fake) - before).toBe(1);
    if (outage.headers?.['retry-after']) expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await status(id)).toEqual({ status: 'connected', errors: null });
    const metrics = await http(a.url, 'GET', '/api/metrics', { key: a.env.METRICS_TOKEN });
    expect(metrics.text).toMatch(new RegExp(`hub_token_refresh_total\\{provider="${kind}",outcome="retried"\\} [1-9]`));
  });

  it('gitlab: an outage longer than the retries leaves the integration connected and the next call recovers', async () => {
    const fake = fakes.gitlab;
    const { id, issuedAt } = await connect('gitlab');
    await untilRefreshDue(issuedAt);
    fake.authority.outages.push(...Array.from({ length: 4 }, () => ({ status: 502, text: 'Bad Gateway' })));
    const down = await http(a.url, 'GET', `/api/integrations/gitlab/health?integrationId=${id}`, { key: a.key });
    expect(down.body.healthy).toBe(false);
    expect(down.body.details.error).toContain('could not refresh the token right now (HTTP 502)');
    expect(down.body.details.error).not.toContain('reconnect');
    expect(await status(id)).toEqual({ status: 'connected', errors: null });
    expect(fake.authority.outages).toHaveLength(0);
    const up = await http(a.url, 'GET', `/api/integrations/gitlab/health?integrationId=${id}`, { key: a.key });
    expect(up.body).toMatchObject({ healthy: true });
    expect(await status(id)).toEqual({ status: 'connected', errors: null });
  });

  it('jira: a refusal (invalid_grant) still needs the user', async () => {
    const fake = fakes.jira;
    const { id, issuedAt } = await connect('jira');
    await untilRefreshDue(issuedAt);
    fake.authority.refuseRefresh = true;
    try {
      const res = await http(b.url, 'GET', `/api/integrations/jira/health?integrationId=${id}`, { key: a.key });
      expect(res.body.healthy).toBe(false);
      expect(res.body.details.error).toContain('Please reconnect');
      expect((await status(id)).status).toBe('error');
    } finally {
      fake.authority.refuseRefresh = false;
    }
  });
});
