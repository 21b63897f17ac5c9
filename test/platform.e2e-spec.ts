import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';

describe('platform: failed-auth limits, organization resolution, metrics', () => {
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    const env = { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '30' };
    a = await startTestHub({ env });
    // A second replica on the same database and Redis prefix: the failure count is shared.
    b = await startTestHub({ databaseName: a.databaseName, queuePrefix: a.env.QUEUE_PREFIX, env: { ...env, ENCRYPTION_KEYS: a.env.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: a.key } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('rate limits failed authentication per client address across replicas, without locking out valid keys', async () => {
    const bad = { headers: { authorization: `Bearer ihk_${'n'.repeat(43)}` } };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await http(a.url, 'GET', '/api/users/@me', bad)).status);
    statuses.push((await http(b.url, 'GET', '/api/users/@me', bad)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await http(b.url, 'GET', '/api/users/@me', bad);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect((await http(a.url, 'GET', '/api/users/@me', bad)).status).toBe(429);
    // A valid key from the same address still works.
    expect((await http(a.url, 'GET', '/api/users/@me', { key: a.key })).status).toBe(200);
  });

  it('resolves the organization from the pinned key, the only membership, X-Organization-Id, or the key\'s own', async () => {
    // The bootstrap owner belongs to two organizations from here on.
    const second = await addOrganization(a, 'Second');
    // The bootstrap key was created in the first organization and keeps acting on it.
    const noHeader = await http(a.url, 'GET', '/api/integrations', { key: a.key });
    expect(noHeader.status).toBe(200);
    // A key created without a default organization must name one, and the error says how.
    const unanchored = await keyWithScopes(a, ['integration:read'], a.key, { default_organization_id: null });
    const required = await http(a.url, 'GET', '/api/integrations', { key: unanchored });
    expect(required.status).toBe(400);
    expect(required.body.code).toBe('ORGANIZATION_REQUIRED');
    expect(required.body.message).toContain('X-Organization-Id');
    expect(required.body.message).toContain(second.organizationId);
    expect(required.body.message).toContain('scoped_organization_id');
    const unknown = await http(a.url, 'GET', '/api/integrations', { key: a.key, headers: { 'x-organization-id': '00000000-0000-4000-8000-000000000000' } });
    // A missing organization answers exactly like someone else's: 404, same body.
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ORGANIZATION_NOT_FOUND');
    const malformed = await http(a.url, 'GET', '/api/integrations', { key: a.key, headers: { 'x-organization-id': 'acme' } });
    expect(malformed.status).toBe(404);
    const chosen = await http(a.url, 'GET', '/api/integrations', { key: a.key, headers: { 'x-organization-id': second.organizationId } });
    expect(chosen.status).toBe(200);

    // Another user's organization: exists, but not theirs → 404.
    const stranger = await addUser(a, 'owner', second.organizationId);
    const strangerOrg = await addOrganization(a, 'Stranger org', stranger.key);
    const foreign = await http(a.url, 'GET', '/api/integrations', { key: a.key, headers: { 'x-organization-id': strangerOrg.organizationId } });
    expect(foreign.status).toBe(404);
    expect({ ...foreign.body, requestId: null }).toEqual({ ...unknown.body, requestId: null });

    // A pinned key ignores the header and uses its organization.
    const pinned = await keyWithScopes(a, ['integration:read'], a.key, { scoped_organization_id: a.organizationId });
    const viaPinned = await http(a.url, 'GET', '/api/integrations', { key: pinned, headers: { 'x-organization-id': second.organizationId } });
    expect(viaPinned.status).toBe(200);
    // The scope check comes before any organization resolution.
    const noScope = await keyWithScopes(a, ['project:read']);
    const scoped = await http(a.url, 'GET', '/api/integrations', { key: noScope });
    expect(scoped.status).toBe(403);
    expect(scoped.body.message).toBe("API key missing required scope 'integration:read'");
  });

  it('exposes Prometheus metrics: request durations by route template and status, queue depth, job outcomes', async () => {
    await http(a.url, 'GET', `/api/projects/${a.projectId}`, { key: a.key });
    const res = await http(a.url, 'GET', '/api/metrics', { key: a.env.METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/hub_http_request_duration_seconds_count\{method="GET",route="\/api\/projects\/:project_id",status="200"\} [1-9]/);
    expect(res.text).toMatch(/hub_queue_depth\{queue="email",state="waiting"\} \d+/);
    expect(res.text).toContain('# TYPE hub_jobs_total counter');
    expect(res.text).not.toContain(a.key);
  });

  it('reports readiness of the database and the queue', async () => {
    expect((await http(a.url, 'GET', '/api/readyz')).body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok' });
  });
});
