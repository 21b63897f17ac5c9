import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation, waitFor } from './support/github';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { OwnRedis, startOwnRedis } from './support/redis-server';
import { startSmtp, TestSmtp } from './support/smtp';

const REPOS = 600;
/** Every answer during the outage must come within this, whatever it is. */
const BOUND_MS = 3000;

/**
 * The hub on a redis-server of this test's own, killed (SIGKILL) during requests and a running scan, then
 * restarted empty: bounded answers, 503 + Retry-After only where Redis is required, auth from PostgreSQL,
 * and recovery without a restart of the hub.
 */
describe('Redis outage', () => {
  let redis: OwnRedis;
  let fake: FakeGithub;
  let smtp: TestSmtp;
  let t: TestHub;
  let integrationId: string;
  const installationId = () => fake.installation.id;
  const latencies: Record<string, number[]> = {};

  const timed = async (label: string, method: string, path: string, opts: Parameters<typeof http>[3] = {}): Promise<HttpResult> => {
    const started = performance.now();
    const res = await http(t.url, method, path, { key: t.key, ...opts });
    (latencies[label] ??= []).push(Math.round(performance.now() - started));
    return res;
  };
  const badKey = `ihk_${'b'.repeat(43)}`;

  beforeAll(async () => {
    redis = await startOwnRedis();
    fake = await new FakeGithub({ repos: REPOS, latencyMs: 30 }).start();
    smtp = await startSmtp();
    t = await startTestHub({
      env: {
        ...fake.env,
        REDIS_URL: redis.url,
        SMTP_URL: smtp.url,
        MAIL_SWEEP_INTERVAL_SECONDS: '1',
        MAIL_RETRY_BACKOFF_MS: '200',
        GITHUB_REQUEST_RETRIES: '0',
        SCAN_LEASE_SECONDS: '2',
        SCAN_WATCHDOG_INTERVAL_MS: '300',
        SCAN_MAX_REQUESTS_PER_SECOND: '50',
        API_KEY_CACHE_SECONDS: '0',
      },
    });
    const connected = await connectInstallation(t, installationId(), fake.installation.account.login);
    if (connected.kind !== 'connected') throw new Error('installation not connected');
    integrationId = connected.integration.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await smtp?.close();
    await fake?.stop();
    const figures = Object.entries(latencies).map(([label, ms]) => `${label}: max ${Math.max(...ms)} ms over ${ms.length}`);
    console.log(`Redis outage latencies (bound ${BOUND_MS} ms): ${figures.join('; ')}`);
  });

  it('answers within bounds during the outage, 503 + Retry-After where Redis is required, and recovers', async () => {
    // Healthy: a sync is queued, a token minted (and cached), a scan running.
    expect((await timed('sync (up)', 'POST', `/api/integrations/${integrationId}/sync`)).status).toBe(202);
    const firstMint = await timed('mint (up)', 'POST', `/api/installations/${installationId()}/access_tokens`, { body: {} });
    expect(firstMint.status).toBe(201);
    const scan = await timed('scan-org (up)', 'POST', '/api/integrations/github/scan-org');
    expect(scan.status).toBe(202);
    const scanId = scan.body.scanId as string;
    await waitFor(async () => (await t.db.query('SELECT repos_scanned FROM github_scans WHERE id = $1', [scanId])).rows[0].repos_scanned >= 100, 30_000);

    await redis.kill();

    for (let round = 0; round < 5; round++) {
      expect((await timed('auth: valid key', 'GET', '/api/users/@me')).status).toBe(200);
      const bad = await timed('auth: bad key', 'GET', '/api/users/@me', { key: badKey });
      expect(bad.status).toBe(401);
      const sync = await timed('sync (down)', 'POST', `/api/integrations/${integrationId}/sync`);
      expect(sync.status).toBe(503);
      expect(sync.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(Number(sync.headers.get('retry-after'))).toBeGreaterThan(0);
      // Minting does not need Redis: the cache is skipped and GitHub asked directly.
      const mint = await timed('mint (down)', 'POST', `/api/installations/${installationId()}/access_tokens`, { body: { permissions: { contents: 'read' } } });
      expect(mint.status).toBe(201);
      expect(mint.body.token).toMatch(/^ghs_/);
      expect((await timed('readyz (down)', 'GET', '/api/readyz')).status).toBe(503);
    }
    // Invitations are stored in PostgreSQL; the email waits in the outbox for the queue.
    const invite = await timed('invite (down)', 'POST', `/api/organizations/${t.organizationId}/invites`, { body: { email: 'outage@example.test', role: 'member' } });
    expect(invite.status).toBe(201);
    // The running scan is answered from PostgreSQL; no new scan can be queued.
    const again = await timed('scan-org (down)', 'POST', '/api/integrations/github/scan-org');
    expect([202, 503]).toContain(again.status);
    if (again.status === 202) expect(again.body.scanId).toBe(scanId);
    else expect(again.headers.get('retry-after')).toBeTruthy();
    // Concurrent auth under the outage: never a 500.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => timed('auth: burst', 'GET', '/api/users/@me', i % 2 ? { key: badKey } : {})));
    expect(burst.map((r) => r.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(401)]);

    const slow = Object.entries(latencies).filter(([label, ms]) => !label.endsWith('(up)') && Math.max(...ms) > BOUND_MS);
    expect(slow).toEqual([]);

    // Back, empty: the hub reconnects by itself.
    await redis.restart();
    await waitFor(async () => (await http(t.url, 'GET', '/api/readyz')).status === 200, 20_000);
    await waitFor(async () => (await http(t.url, 'POST', `/api/integrations/${integrationId}/sync`, { key: t.key })).status === 202, 20_000);
    // The scan finishes, whether it kept going from PostgreSQL or its job was lost with Redis (the watchdog resumes it).
    const done = await waitFor(async () => {
      const p = await http(t.url, 'GET', '/api/integrations/github/scan-progress', { key: t.key });
      return p.body.status === 'completed' ? p.body : null;
    }, 60_000);
    expect(done).toMatchObject({ scanId, reposScanned: REPOS, reposTotal: REPOS });
    // The invitation email queued during the outage is delivered by the sweeper.
    await waitFor(async () => smtp.messages.some((m) => m.recipients.includes('outage@example.test')), 20_000);
    // And a fresh scan can be queued again.
    expect((await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key })).status).toBe(202);
  }, 150_000);
});
