import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';

/*
 * PostHog's project integrations, as a PostHog client sees them. Upstream (read for these facts):
 * - PostHog/posthog posthog/api/integration.py: IntegrationSerializer (created_by as UserBasicSerializer), the
 *   viewset's routes (no update: PATCH/PUT are 405), DRF LimitOffsetPagination;
 * - PostHog/drf-exceptions-hog exceptions_hog/handler.py: `{type, code, detail, attr}`, the type per DRF exception,
 *   `invalid` spelled `invalid_input`, the first failure only, nested attrs joined by `__`;
 * - DRF rest_framework/exceptions.py and fields.py: NotAuthenticated / AuthenticationFailed / PermissionDenied /
 *   NotFound ("Not found.") / MethodNotAllowed / ParseError texts and codes, field messages;
 * - posthog/permissions.py: "API key missing required scope '<scope>'", "You don't have sufficient permissions in the project.".
 */
describe('project integrations: PostHog dialect', () => {
  let t: TestHub;
  const SITE_URL = 'http://hub.example.test';
  const base = (slash = true) => `/api/projects/${t.projectId}/integrations${slash ? '/' : ''}`;
  const emailConfig = (domain: string) => ({ domain, verify_token: 'abc123TOKEN=', dkim_tokens: ['t1', 't2', 't3'], region: 'us-east-1' });

  const expectPosthog = (res: HttpResult, status: number, body: { type: string; code: string; detail: string; attr: string | null }) => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
  };

  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves every route with and without the trailing slash', async () => {
    for (const slash of [true, false]) {
      const created = await http(t.url, 'POST', base(slash), { key: t.key, body: { kind: 'email', config: emailConfig(`s${slash ? 1 : 2}.example.com`) } });
      expect(created.status).toBe(201);
      const path = `${base()}${created.body.id}${slash ? '/' : ''}`;
      expect((await http(t.url, 'GET', base(slash), { key: t.key })).status).toBe(200);
      expect((await http(t.url, 'GET', path, { key: t.key })).body.id).toBe(created.body.id);
      expect((await http(t.url, 'DELETE', path, { key: t.key })).status).toBe(204);
    }
  });

  it('401: not_authenticated without credentials, authentication_failed for a bad key', async () => {
    expectPosthog(await http(t.url, 'GET', base()), 401, { type: 'authentication_error', code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null });
    expectPosthog(await http(t.url, 'GET', base(), { key: 'ihk_not-a-real-key-at-all-000000000000000000000' }), 401, {
      type: 'authentication_error',
      code: 'authentication_failed',
      detail: 'Incorrect authentication credentials.',
      attr: null,
    });
  });

  it('403: permission_denied for a missing scope, a member overwriting or deleting; members may add', async () => {
    const readOnly = await keyWithScopes(t, ['integration:read']);
    expectPosthog(await http(t.url, 'POST', base(), { key: readOnly, body: { kind: 'email', config: emailConfig('ro.example.com') } }), 403, {
      type: 'authentication_error',
      code: 'permission_denied',
      detail: "API key missing required scope 'integration:write'",
      attr: null,
    });
    // posthog/api/integration.py: creating needs project membership only; overwriting (IntegrationSerializer.create)
    // and deleting (IntegrationManagementPermission) need a project admin.
    const member = await addUser(t, 'member');
    const added = await http(t.url, 'POST', base(), { key: member.key, body: { kind: 'email', config: emailConfig('m.example.com') } });
    expect(added.status).toBe(201);
    expectPosthog(await http(t.url, 'POST', base(), { key: member.key, body: { kind: 'email', config: emailConfig('m.example.com') } }), 403, {
      type: 'authentication_error',
      code: 'permission_denied',
      detail: 'Editing an existing integration requires project admin access.',
      attr: null,
    });
    expectPosthog(await http(t.url, 'DELETE', `${base()}${added.body.id}/`, { key: member.key }), 403, {
      type: 'authentication_error',
      code: 'permission_denied',
      detail: "You don't have sufficient permissions in the project.",
      attr: null,
    });
    // An admin overwrites it.
    expect((await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'email', config: emailConfig('m.example.com') } })).status).toBe(201);
  });

  it('404: not_found "Not found." for unknown integrations, projects and other organizations', async () => {
    const notFound = { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null };
    expectPosthog(await http(t.url, 'GET', `${base()}123456789/`, { key: t.key }), 404, notFound);
    expectPosthog(await http(t.url, 'GET', `/api/projects/${randomUUID()}/integrations/`, { key: t.key }), 404, notFound);
    // A project of an organization the caller is not in: the same 404.
    const other = await addOrganization(t, 'Elsewhere');
    const stranger = await addUser(t, 'owner');
    expectPosthog(await http(t.url, 'GET', `/api/projects/${other.projectId}/integrations/`, { key: stranger.key }), 404, notFound);
  });

  it('405: method_not_allowed for PATCH and PUT on an integration', async () => {
    const created = await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'email', config: emailConfig('p.example.com') } });
    for (const method of ['PATCH', 'PUT']) {
      expectPosthog(await http(t.url, method, `${base()}${created.body.id}/`, { key: t.key, body: { display_name: 'x' } }), 405, {
        type: 'invalid_request',
        code: 'method_not_allowed',
        detail: `Method "${method}" not allowed.`,
        attr: null,
      });
    }
  });

  it('400: parse_error for malformed JSON and DRF field codes with attr for bad fields; unknown fields are ignored', async () => {
    const parse = await http(t.url, 'POST', base(), { key: t.key, rawBody: '{"kind": ' });
    expect(parse.status).toBe(400);
    expect(parse.body).toEqual({ type: 'invalid_request', code: 'parse_error', detail: expect.stringMatching(/^JSON parse error - /), attr: null });
    expectPosthog(await http(t.url, 'POST', base(), { key: t.key, body: { config: {} } }), 400, { type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'kind' });
    expectPosthog(await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'pagerduty', config: {} } }), 400, {
      type: 'validation_error',
      code: 'invalid_choice',
      detail: '"pagerduty" is not a valid choice.',
      attr: 'kind',
    });
    expectPosthog(await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'email', config: null } }), 400, { type: 'validation_error', code: 'null', detail: 'This field may not be null.', attr: 'config' });
    const ignored = await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'email', config: emailConfig('u.example.com'), surprise: true } });
    expect(ignored.status).toBe(201);
  });

  it('paginates as DRF LimitOffsetPagination: absolute links on SITE_URL, lenient limit and offset', async () => {
    const scoped = `${base()}?kind=email`;
    const all = await http(t.url, 'GET', scoped, { key: t.key });
    expect(all.body.count).toBeGreaterThanOrEqual(2);
    const first = await http(t.url, 'GET', `${scoped}&limit=1`, { key: t.key });
    expect(first.body).toMatchObject({ count: all.body.count, previous: null, next: `${SITE_URL}${base()}?kind=email&limit=1&offset=1` });
    const followed = await http(t.url, 'GET', first.body.next.slice(SITE_URL.length), { key: t.key });
    expect(followed.body.results[0].id).toBe(all.body.results[1].id);
    expect(followed.body.previous).toBe(`${SITE_URL}${base()}?kind=email&limit=1`);
    expect((await http(t.url, 'GET', `${scoped}&limit=nope&offset=zz`, { key: t.key })).body.results.length).toBe(all.body.count);
  });

  it('renders created_by as a user object and explains the string id', async () => {
    const created = await http(t.url, 'POST', base(), { key: t.key, body: { kind: 'email', config: emailConfig('c.example.com') } });
    expect(created.body.created_by).toEqual({ id: expect.any(String), uuid: expect.any(String), distinct_id: expect.any(String), first_name: expect.any(String), last_name: expect.any(String), email: expect.stringContaining('@') });
    expect(created.body.id).toMatch(/^\d+$/);
  });

  it('property: no body or query yields a 5xx; every failure is PostHog-shaped', async () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const body = fc.oneof(
      json,
      fc.record({ kind: fc.oneof(fc.constantFrom('email', 'discord', 'mantisbt', 'gitlab', 'github', 'slack'), json), config: json }),
      json.map((config) => ({ kind: 'email', config: typeof config === 'object' && config !== null && !Array.isArray(config) ? { ...emailConfig('f.example.com'), ...config } : config })),
    );
    const check = (res: HttpResult, label: string) => {
      expect({ label, ok: res.status < 500 }).toEqual({ label, ok: true });
      if (res.status >= 400) {
        expect(res.body).toEqual({ type: expect.any(String), code: expect.any(String), detail: expect.any(String), attr: res.body?.attr === null ? null : expect.any(String) });
      }
    };
    await fc.assert(
      fc.asyncProperty(body, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), async (b, limit, id) => {
        check(await http(t.url, 'POST', base(), { key: t.key, body: b }), `POST ${JSON.stringify(b).slice(0, 200)}`);
        check(await http(t.url, 'GET', `${base()}?limit=${encodeURIComponent(limit)}&offset=${encodeURIComponent(id)}&kind=${encodeURIComponent(limit)}`, { key: t.key }), `GET ?limit=${limit}`);
        check(await http(t.url, 'GET', `${base()}${encodeURIComponent(id) || 'x'}/`, { key: t.key }), `GET ${id}`);
      }),
      { numRuns: 80, interruptAfterTimeLimit: 60_000 },
    );
  });
});
