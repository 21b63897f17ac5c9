import { randomBytes } from 'node:crypto';
import { http } from './support/http';
import { clearRedisPrefix, createDatabase, dropDatabase, testEnv } from './support/hub-harness';
import { HubProcess, startHubProcess } from './support/process';

/** A `HUB_ROLE=worker` process answers its container health check and a Prometheus scrape, and nothing else. */
describe('worker process: health and metrics over HTTP', () => {
  let databaseName: string;
  let env: Record<string, string>;
  let worker: HubProcess;

  beforeAll(async () => {
    databaseName = await createDatabase();
    env = testEnv(databaseName, `t${randomBytes(5).toString('hex')}`, { env: { HUB_ROLE: 'worker', PORT: '0', LOG_LEVEL: 'info' } });
    worker = await startHubProcess(env);
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    if (databaseName) await dropDatabase(databaseName);
    if (env) await clearRedisPrefix(env.QUEUE_PREFIX);
  });

  it('answers liveness and readiness (database and queue)', async () => {
    expect(worker.output()).toContain('worker started');
    const health = await http(worker.url, 'GET', '/api/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await http(worker.url, 'GET', '/api/readyz/');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok' });
    expect(ready.body.queues.webhooks).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, oldest_waiting_seconds: 0 });
  });

  it('serves its own metrics to METRICS_TOKEN, and refuses a scrape without it or with a tenant API key', async () => {
    expect((await http(worker.url, 'GET', '/api/metrics')).status).toBe(401);
    const tenant = await http(worker.url, 'GET', '/api/metrics', { key: env.BOOTSTRAP_API_KEY });
    expect(tenant.status).toBe(401);
    expect(tenant.body).toMatchObject({ code: 'METRICS_TOKEN_INVALID' });
    await http(worker.url, 'GET', '/api/healthz');
    const scrape = await http(worker.url, 'GET', '/api/metrics', { key: env.METRICS_TOKEN });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    for (const queue of ['email', 'integrations', 'webhooks', 'scan']) expect(scrape.text).toContain(`hub_queue_depth{queue="${queue}",state="waiting"}`);
    expect(scrape.text).toContain('# TYPE hub_jobs_total counter');
    expect(scrape.text).toMatch(/hub_http_request_duration_seconds_count\{method="GET",route="\/api\/healthz",status="200"\} [1-9]/);
    expect(scrape.text).toMatch(/hub_process_resident_memory_bytes \d+/);
    expect(scrape.text).toMatch(/hub_queue_oldest_waiting_seconds\{queue="webhooks"\} 0/);
    expect(scrape.text).toMatch(/hub_auth_failures_total\{reason="metrics_token"\} [1-9]/);
  });

  it('serves none of the API, documents or UI', async () => {
    for (const path of ['/api/users/@me', '/api/openapi.json', '/docs', '/api/integrations', '/nothing-here']) {
      const res = await http(worker.url, 'GET', path, { key: env.BOOTSTRAP_API_KEY });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'A worker process serves only /api/healthz, /api/readyz, /api/metrics' });
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
    const post = await http(worker.url, 'POST', '/api/personal_api_keys', { key: env.BOOTSTRAP_API_KEY, body: { label: 'x', scopes: ['*'] } });
    expect(post.status).toBe(404);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output()).toContain('shutting down');
  });
});
