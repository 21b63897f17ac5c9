import { JobQueue } from '../src/queue/job-queue';
import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation } from './support/github';
import { closedPort, http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { poll } from './support/poll';

/** The value of one sample line of a Prometheus scrape (NaN when absent). */
function sample(text: string, line: RegExp): number {
  return Number((text.match(line) ?? [])[1] ?? NaN);
}

/**
 * Instance-level observability on an API process (HUB_ROLE=api: nothing consumes the queues): metrics behind
 * METRICS_TOKEN and on a loopback METRICS_PORT, never behind a tenant key; domain metrics that move with the work;
 * queue depth and oldest waiting age in metrics and in readiness.
 */
describe('observability: metrics access, domain metrics, queue health', () => {
  let fake: FakeGithub;
  let t: TestHub;
  const scrape = async () => {
    const res = await http(t.url, 'GET', '/api/metrics', { key: t.env.METRICS_TOKEN });
    expect(res.status).toBe(200);
    return res.text;
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2, installations: 1 }).start();
    t = await startTestHub({ env: { ...fake.env, HUB_ROLE: 'api', METRICS_PORT: '0', GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('refuses /api/metrics to a tenant API key and to no key, and serves it to METRICS_TOKEN', async () => {
    const tenant = await http(t.url, 'GET', '/api/metrics', { key: t.key });
    expect(tenant.status).toBe(401);
    expect(tenant.body).toMatchObject({ code: 'METRICS_TOKEN_INVALID' });
    expect(tenant.text).not.toContain('hub_');
    expect(tenant.headers.get('www-authenticate')).toContain('Bearer');
    expect((await http(t.url, 'GET', '/api/metrics')).status).toBe(401);
    expect((await http(t.url, 'GET', '/api/metrics', { key: `${t.env.METRICS_TOKEN}x` })).status).toBe(401);
    const text = await scrape();
    expect(text).toContain('# TYPE hub_http_request_duration_seconds histogram');
    expect(sample(text, /^hub_auth_failures_total\{reason="metrics_token"\} (\d+)/m)).toBeGreaterThanOrEqual(3);
  });

  it('serves metrics without a token on the loopback METRICS_PORT listener only', async () => {
    const url = t.hub.metricsUrl as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('# TYPE hub_queue_depth gauge');
    expect((await fetch(`${url}/api/metrics`)).status).toBe(200);
    expect((await fetch(`${url}/api/users/@me`)).status).toBe(404);
  });

  it('counts refused API keys', async () => {
    const before = sample(await scrape(), /^hub_auth_failures_total\{reason="api_key"\} (\d+)/m) || 0;
    expect((await http(t.url, 'GET', '/api/users/@me', { key: 'ihk_not-a-real-key-at-all-0000000000000000' })).status).toBe(401);
    expect(sample(await scrape(), /^hub_auth_failures_total\{reason="api_key"\} (\d+)/m)).toBe(before + 1);
  });

  it('moves the token-mint, GitHub call and rate-limit metrics on a mint', async () => {
    const installationId = fake.installation.id;
    await connectInstallation(t, installationId, fake.installation.account.login);
    const before = await scrape();
    const misses = sample(before, /^hub_installation_token_mints_total\{cache="miss"\} (\d+)/m) || 0;
    const mint = () => http(t.url, 'POST', `/api/installations/${installationId}/access_tokens`, { key: t.key, body: {} });
    expect((await mint()).status).toBe(201);
    expect((await mint()).status).toBe(201);
    const after = await scrape();
    expect(sample(after, /^hub_installation_token_mints_total\{cache="miss"\} (\d+)/m)).toBe(misses + 1);
    expect(sample(after, /^hub_installation_token_mints_total\{cache="hit"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(sample(after, /^hub_installation_token_mint_upstream_seconds_count\{outcome="ok"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(sample(after, /^hub_provider_request_duration_seconds_count\{provider="github",outcome="ok"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(sample(after, /^hub_github_rate_limit_remaining\{installation="app",resource="core"\} (\d+)/m)).toBeGreaterThan(0);
    expect(after).not.toMatch(/ghs_|ihk_/);
  });

  it('counts a provider call that got no answer', async () => {
    const res = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, body: { token: 'mantis-token-0000', url: `http://127.0.0.1:${await closedPort()}` } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(sample(await scrape(), /^hub_provider_request_duration_seconds_count\{provider="mantisbt",outcome="network"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  });

  it('shows queue depth and the oldest waiting job age in readiness and metrics while no worker consumes', async () => {
    await t.hub.app.get(JobQueue).add('webhooks', 'observability-probe', {});
    const ready = await poll(
      async () => {
        const res = await http(t.url, 'GET', '/api/readyz');
        return res.body.queues?.webhooks?.oldest_waiting_seconds >= 1 ? res : null;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'webhooks queue age of 1 s' },
    );
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok', queues: { webhooks: { waiting: 1 }, email: { waiting: 0, oldest_waiting_seconds: 0 } } });
    const text = await scrape();
    expect(sample(text, /^hub_queue_oldest_waiting_seconds\{queue="webhooks"\} ([\d.]+)/m)).toBeGreaterThanOrEqual(1);
    expect(sample(text, /^hub_queue_depth\{queue="webhooks",state="waiting"\} (\d+)/m)).toBe(1);
    expect(text).toMatch(/^hub_mail_outbox\{status="unsent"\} \d+/m);
  });
});
