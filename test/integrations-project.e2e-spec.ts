import { http } from './support/http';
import { createDatabase, dropDatabase, startTestHub, TestHub } from './support/hub-harness';

const emailConfig = (domain: string) => ({ domain, verify_token: 'abc123TOKEN=', dkim_tokens: ['dk1', 'dk2', 'dk3'], region: 'us-east-1' });

describe('project integrations (PostHog face) and snowflake ids across two hubs', () => {
  let databaseName: string;
  let a: TestHub;
  let b: TestHub;

  beforeAll(async () => {
    databaseName = await createDatabase();
    const queuePrefix = `tsf${Date.now().toString(36)}`;
    a = await startTestHub({ databaseName, queuePrefix });
    // A second hub process-equivalent on the same PostgreSQL database and Redis prefix.
    b = await startTestHub({ databaseName, queuePrefix });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (databaseName) await dropDatabase(databaseName);
  });

  const base = (projectId = a.projectId) => `/api/projects/${projectId}/integrations/`;
  /** The test hubs' SITE_URL (test/support/hub-harness.ts): pagination links are absolute on it. */
  const SITE_URL = 'http://hub.example.test';

  it('creates an email integration directly and validates its config', async () => {
    const bad = await http(a.url, 'POST', base(), { key: a.key, body: { kind: 'email', config: { ...emailConfig('mail.example.com'), dkim_tokens: ['only-one'] } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ type: 'validation_error', code: 'invalid_email_config', detail: 'dkim_tokens must be exactly three tokens', attr: 'dkim_tokens' });
    const created = await http(a.url, 'POST', base(), { key: a.key, body: { kind: 'email', config: { ...emailConfig('Mail.Example.com'), mail_from_subdomain: 'bounce' } } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      kind: 'email',
      // PostHog's email config fields beside the hub's (posthog/models/integration/email.py); no sender address was given.
      config: { ...emailConfig('mail.example.com'), mail_from_subdomain: 'bounce', email: null, name: null, provider: 'ses', verified: false },
      created_at: expect.any(String),
      created_by: { id: a.userId, uuid: a.userId, distinct_id: a.userId, first_name: expect.any(String), last_name: expect.any(String), email: expect.stringContaining('@') },
      errors: '',
      display_name: 'mail.example.com',
      files_write_requestable: false,
      installation_shared: null,
      installation_status: null,
    });
    const got = await http(a.url, 'GET', `${base()}${created.body.id}`, { key: a.key });
    expect(got.body).toEqual(created.body);
    const oauthKind = await http(a.url, 'POST', base(), { key: a.key, body: { kind: 'slack', config: {} } });
    expect(oauthKind.status).toBe(400);
    expect(oauthKind.body.attr).toBe('kind');
  });

  it('lists with ?kind=, limit/offset in a stable order', async () => {
    // A project of its own holding exactly three email integrations.
    const project = (await http(a.url, 'POST', `/api/organizations/${a.organizationId}/projects`, { key: a.key, body: { name: 'Listing' } })).body.id as string;
    for (const d of ['a.example.com', 'b.example.com', 'c.example.com']) expect((await http(a.url, 'POST', base(project), { key: a.key, body: { kind: 'email', config: emailConfig(d) } })).status).toBe(201);
    const all = await http(a.url, 'GET', `${base(project)}?kind=email`, { key: a.key });
    expect(all.body.count).toBe(3);
    const page = await http(a.url, 'GET', `${base(project)}?kind=email&limit=1&offset=1`, { key: a.key });
    expect(page.body.results.map((r: { id: string }) => r.id)).toEqual([all.body.results[1].id]);
    // DRF LimitOffsetPagination: absolute URLs, query sorted, no offset on the way back to the first page.
    expect(page.body.next).toBe(`${SITE_URL}${base(project)}?kind=email&limit=1&offset=2`);
    expect(page.body.previous).toBe(`${SITE_URL}${base(project)}?kind=email&limit=1`);
    const lenient = await http(a.url, 'GET', `${base(project)}?kind=email&limit=abc&offset=-4&utm=1`, { key: a.key });
    expect({ status: lenient.status, count: lenient.body.results.length, previous: lenient.body.previous }).toEqual({ status: 200, count: 3, previous: null });
    const capped = await http(a.url, 'GET', `${base(project)}?kind=email&limit=5000&offset=2`, { key: a.key });
    expect(capped.body.previous).toBe(`${SITE_URL}${base(project)}?kind=email&limit=1000`);
    expect((await http(a.url, 'GET', `${base(project)}?kind=email&limit=0`, { key: a.key })).body.results.length).toBe(3);
    const none = await http(a.url, 'GET', `${base(project)}?kind=discord`, { key: a.key });
    expect(none.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    const invalid = await http(a.url, 'GET', `${base(project)}?kind=myspace`, { key: a.key });
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toBe('validation_error');
  });

  it('refuses to delete an integration that enabled policies use, naming them', async () => {
    const created = await http(a.url, 'POST', base(), { key: a.key, body: { kind: 'email', config: emailConfig('policy.example.com') } });
    const policy = await http(a.url, 'POST', '/api/policies', { key: a.key, body: { name: 'Weekly digest', provider: 'email', action: 'send_email', integration_id: created.body.id } });
    expect(policy.status).toBe(201);
    const refused = await http(a.url, 'DELETE', `${base()}${created.body.id}`, { key: a.key });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('Weekly digest');
    await http(a.url, 'PATCH', `/api/policies/${policy.body.id}`, { key: a.key, body: { enabled: false } });
    const deleted = await http(a.url, 'DELETE', `${base()}${created.body.id}`, { key: a.key });
    expect(deleted.status).toBe(204);
    expect((await a.db.query('SELECT 1 FROM integrations WHERE id = $1', [created.body.id])).rowCount).toBe(0);
    const gone = await http(a.url, 'GET', `${base()}${created.body.id}`, { key: a.key });
    expect(gone.status).toBe(404);
    expect(gone.body.type).toBe('invalid_request');
  });

  it('answers 404 for an integration of another project', async () => {
    const created = await http(a.url, 'POST', base(), { key: a.key, body: { kind: 'email', config: emailConfig('private.example.com') } });
    const project = await http(a.url, 'POST', `/api/organizations/${a.organizationId}/projects`, { key: a.key, body: { name: 'Other project' } });
    expect(project.status).toBe(201);
    const res = await http(a.url, 'GET', `/api/projects/${project.body.id}/integrations/${created.body.id}`, { key: a.key });
    expect(res.status).toBe(404);
  });

  it('allocates unique snowflake ids under concurrent creation from two hubs sharing PostgreSQL and Redis', async () => {
    const workerOf = (id: string) => Number((BigInt(id) >> 12n) & 1023n);
    const create = (hub: TestHub, i: number) =>
      http(hub.url, 'POST', base(), { key: a.key, body: { kind: 'email', config: emailConfig(`n${i}.${hub === a ? 'a' : 'b'}.example.com`) } });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => create(i % 2 ? b : a, i)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const ids = results.map((r) => r.body.id as string);
    expect(new Set(ids).size).toBe(40);
    const workersA = new Set(ids.filter((_, i) => i % 2 === 0).map(workerOf));
    const workersB = new Set(ids.filter((_, i) => i % 2 === 1).map(workerOf));
    expect(workersA.size).toBe(1);
    expect(workersB.size).toBe(1);
    expect([...workersA][0]).not.toBe([...workersB][0]);
    const rows = await a.db.query('SELECT count(*)::int AS n FROM integrations WHERE id = ANY($1::bigint[])', [ids]);
    expect(rows.rows[0].n).toBe(40);
  });
});
