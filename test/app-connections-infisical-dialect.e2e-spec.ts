import { randomUUID } from 'node:crypto';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { CONNECTIONS } from './support/app-connections';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { keyWithScopes } from './support/identity';

/*
 * Infisical's GitHub app connections, replayed request by request against what upstream answers. Upstream
 * (Infisical/infisical, read for these facts):
 * - backend/src/server/routes/v1/app-connection-routers/app-connection-endpoints.ts: the routes, `/available`;
 * - backend/src/services/app-connection/github/github-connection-schemas.ts: credentials per method, messages;
 * - backend/src/services/app-connection/app-connection-schemas.ts: name (slugSchema), description,
 *   isPlatformManagedCredentials (`z.literal(false)` "Not supported for GitHub Connections"), gatewayId;
 * - backend/src/server/lib/schemas.ts: slugSchema's three messages;
 * - backend/src/services/app-connection/app-connection-service.ts: not-found texts, "Could not find project with
 *   ID", name order, "Invalid credential format ...";
 * - backend/src/services/app-connection/github/github-connection-fns.ts: 403 ForbiddenError for an installation
 *   the user cannot see;
 * - backend/src/server/plugins/error-handler.ts and backend/src/lib/errors/index.ts: bodies and error names;
 * - backend/src/server/plugins/auth/verify-auth.ts: 401 "Token missing".
 * zod 3 issue shapes: `{code, message, path, ...}` with zod's own fields (expected/received, minimum, ...).
 */
describe('app connections: Infisical dialect, route by route', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let installation: FakeInstallation;
  let other: FakeInstallation;

  const call = (method: string, path: string, opts: Parameters<typeof http>[3] = {}) =>
    http(t.url, method, path, { key: t.key, ...opts, headers: { 'x-organization-id': t.organizationId, ...opts.headers } });

  /** A fresh user code for an installation (the fake GitHub's OAuth), as GitHub returns to the setup URL. */
  const codeFor = (installationId: number) => fake.issueCode(fake.model.addUser(`dev-${randomUUID().slice(0, 8)}`, [installationId]).id);
  const uniqueName = () => `conn-${randomUUID().slice(0, 8)}`;
  const validBody = (overrides: Record<string, unknown> = {}) => ({
    method: 'github-app',
    name: uniqueName(),
    credentials: { code: codeFor(installation.id), installationId: String(installation.id), instanceType: 'cloud' },
    ...overrides,
  });
  const withCredentials = (credentials: Record<string, unknown>) => validBody({ credentials: { ...validBody().credentials, ...credentials } });

  /** Upstream's body for every error: `{reqId, statusCode, message, error}`, reqId being the request id. */
  const expectError = (res: HttpResult, status: number, error: string, message: unknown) => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { reqId: res.headers.get('x-request-id'), statusCode: status, error, message } });
  };
  const expectIssues = (res: HttpResult, issues: unknown[]) => expectError(res, 422, 'ValidationFailure', issues);

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2, installations: 2 }).start();
    [installation, other] = [...fake.model.installations.values()];
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  describe('POST /api/v1/app-connections/github', () => {
    it('creates a connection, dropping fields it does not know (isAutoRotationEnabled, rotation) and trimming the name', async () => {
      const name = uniqueName();
      const res = await call('POST', CONNECTIONS, { body: validBody({ name: `  ${name}  `, description: '  CI access  ', isAutoRotationEnabled: false, rotation: null, isPlatformManagedCredentials: false }) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        appConnection: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name,
          description: 'CI access',
          version: 1,
          orgId: t.organizationId,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          isPlatformManagedCredentials: false,
          gatewayId: null,
          projectId: null,
          project: null,
          credentialsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          app: 'github',
          method: 'github-app',
          credentials: { instanceType: 'cloud' },
        },
      });
    });

    it('accepts a host beside instanceType cloud, as upstream does, and keeps only the instance type', async () => {
      const res = await call('POST', CONNECTIONS, { body: withCredentials({ host: 'github.com' }) });
      expect(res.status).toBe(200);
      expect(res.body.appConnection.credentials).toEqual({ instanceType: 'cloud' });
    });

    it('creates an oauth connection from a user code, keeping the user token sealed and never showing it', async () => {
      const res = await call('POST', CONNECTIONS, { body: { method: 'oauth', name: uniqueName(), credentials: { code: codeFor(installation.id) } } });
      expect(res.status).toBe(200);
      expect(res.body.appConnection).toMatchObject({ method: 'oauth', app: 'github', credentials: { instanceType: 'cloud' } });
      expect(res.text).not.toMatch(/gh[us]_|accessToken/);
      const row = (await t.db.query('SELECT method, sealed_credentials FROM app_connections WHERE id = $1', [res.body.appConnection.id])).rows[0];
      expect(row.method).toBe('oauth');
      expect(row.sealed_credentials).toMatch(/^v1\./);
      expect(row.sealed_credentials).not.toMatch(/gh[us]_/);
    });

    it('answers every schema failure as 422 with zod issues naming the field', async () => {
      const cases: Array<[string, Record<string, unknown>, unknown[]]> = [
        ['no credentials (was a 500)', (({ credentials: _c, ...rest }) => rest)(validBody()), [{ code: 'invalid_type', expected: 'object', received: 'undefined', path: ['credentials'], message: 'Required' }]],
        ['credentials not an object', validBody({ credentials: 'abc' }), [{ code: 'invalid_type', expected: 'object', received: 'string', path: ['credentials'], message: 'Expected object, received string' }]],
        ['no method', (({ method: _m, ...rest }) => rest)(validBody()), [{ code: 'invalid_union_discriminator', options: ['github-app', 'oauth'], path: ['method'], message: "Invalid discriminator value. Expected 'github-app' | 'oauth'" }]],
        ['unknown method', validBody({ method: 'pat' }), [{ code: 'invalid_union_discriminator', options: ['github-app', 'oauth'], path: ['method'], message: "Invalid discriminator value. Expected 'github-app' | 'oauth'" }]],
        ['no name', (({ name: _n, ...rest }) => rest)(validBody()), [{ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['name'], message: 'Required' }]],
        ['blank name (trimmed first)', validBody({ name: '   ' }), [{ code: 'too_small', minimum: 1, type: 'string', inclusive: true, exact: false, path: ['name'], message: 'name field must be at least 1 lowercase character' }]],
        ['long name', validBody({ name: 'x'.repeat(65) }), [{ code: 'too_big', maximum: 64, type: 'string', inclusive: true, exact: false, path: ['name'], message: 'name field must be at most 64 lowercase characters' }]],
        ['name not a slug', validBody({ name: 'My Connection' }), [{ code: 'custom', path: ['name'], message: 'name field can only contain lowercase letters, numbers, and hyphens' }]],
        ['name a number', validBody({ name: 42 }), [{ code: 'invalid_type', expected: 'string', received: 'number', path: ['name'], message: 'Expected string, received number' }]],
        ['long description', validBody({ description: 'd'.repeat(257) }), [{ code: 'too_big', maximum: 256, type: 'string', inclusive: true, exact: false, path: ['description'], message: 'Description cannot exceed 256 characters' }]],
        ['platform-managed credentials', validBody({ isPlatformManagedCredentials: true }), [{ code: 'invalid_literal', expected: false, received: true, path: ['isPlatformManagedCredentials'], message: 'Not supported for GitHub Connections' }]],
        ['gateway id not a uuid', validBody({ gatewayId: 'gw-1' }), [{ code: 'invalid_string', validation: 'uuid', path: ['gatewayId'], message: 'Invalid uuid' }]],
        ['empty code', withCredentials({ code: '' }), [{ code: 'too_small', minimum: 1, type: 'string', inclusive: true, exact: false, path: ['credentials', 'code'], message: 'GitHub App code required' }]],
        ['no code', { ...validBody(), credentials: { installationId: String(installation.id) } }, [{ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['credentials', 'code'], message: 'Required' }]],
        ['empty installation id', withCredentials({ installationId: '' }), [{ code: 'too_small', minimum: 1, type: 'string', inclusive: true, exact: false, path: ['credentials', 'installationId'], message: 'GitHub App Installation ID required' }]],
        ['numeric installation id', withCredentials({ installationId: installation.id }), [{ code: 'invalid_type', expected: 'string', received: 'number', path: ['credentials', 'installationId'], message: 'Expected string, received number' }]],
        ['unknown instance type', withCredentials({ instanceType: 'enterprise' }), [{ code: 'invalid_enum_value', options: ['cloud', 'server'], received: 'enterprise', path: ['credentials', 'instanceType'], message: "Invalid enum value. Expected 'cloud' | 'server', received 'enterprise'" }]],
        ['server without host', withCredentials({ instanceType: 'server' }), [{ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['credentials', 'host'], message: 'Required' }]],
        ['server with blank host', withCredentials({ instanceType: 'server', host: ' ' }), [{ code: 'custom', path: ['credentials', 'host'], message: 'Host is required for server instance type' }]],
        ['oauth without code', { method: 'oauth', name: uniqueName(), credentials: {} }, [{ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['credentials', 'code'], message: 'Required' }]],
      ];
      for (const [label, body, issues] of cases) {
        const res = await call('POST', CONNECTIONS, { body });
        expect({ label, status: res.status, message: res.body?.message }).toEqual({ label, status: 422, message: issues });
        expectIssues(res, issues);
      }
      // Several failures are all reported, in field order.
      const many = await call('POST', CONNECTIONS, { body: { method: 'github-app', name: 'Bad Name', credentials: { code: '', installationId: '' } } });
      expect(many.body.message.map((i: { path: unknown[] }) => i.path)).toEqual([['credentials', 'code'], ['credentials', 'installationId'], ['name']]);
      expect((await t.db.query('SELECT count(*)::int AS n FROM app_connections WHERE name IN ($1, $2)', ['bad-name', 'Bad Name'])).rows[0].n).toBe(0);
    });

    it('answers a body that is not an object with one issue at the root', async () => {
      for (const [raw, received] of [['[]', 'array'], ['"abc"', 'string'], ['null', 'null'], ['42', 'number']]) {
        const res = await http(t.url, 'POST', CONNECTIONS, { key: t.key, rawBody: raw, headers: { 'x-organization-id': t.organizationId } });
        expectIssues(res, [{ code: 'invalid_type', expected: 'object', received, path: [], message: `Expected object, received ${received}` }]);
      }
    });

    it('refuses past the schema as upstream: unknown project 400, installation the user cannot see 403 ForbiddenError', async () => {
      const unknownProject = randomUUID();
      expectError(await call('POST', CONNECTIONS, { body: validBody({ projectId: unknownProject }) }), 400, 'BadRequest', `Could not find project with ID ${unknownProject}`);
      expectError(await call('POST', CONNECTIONS, { body: validBody({ projectId: 'not-a-project' }) }), 400, 'BadRequest', 'Could not find project with ID not-a-project');
      // installationId is any non-empty string: one the user cannot see (or that is not a number) is a 403.
      expectError(await call('POST', CONNECTIONS, { body: withCredentials({ installationId: 'abc' }) }), 403, 'ForbiddenError', 'User does not have access to the provided installation');
      expectError(await call('POST', CONNECTIONS, { body: withCredentials({ installationId: String(other.id) }) }), 403, 'ForbiddenError', 'User does not have access to the provided installation');
      const name = uniqueName();
      expect((await call('POST', CONNECTIONS, { body: validBody({ name }) })).status).toBe(200);
      expectError(await call('POST', CONNECTIONS, { body: validBody({ name }) }), 400, 'BadRequest', `An App Connection with the name "${name}" already exists`);
    });
  });

  describe('GET routes', () => {
    let project: { id: string; name: string };
    let ids: Record<string, string>;

    beforeAll(async () => {
      project = (await call('POST', `/api/organizations/${t.organizationId}/projects`, { body: { name: 'Lookup project' } })).body;
      ids = {};
      for (const [name, projectId] of [['zeta-lookup', undefined], ['alpha-lookup', undefined], ['mid-lookup', project.id]] as const) {
        const res = await call('POST', CONNECTIONS, { body: validBody({ name, ...(projectId ? { projectId } : {}) }) });
        expect(res.status).toBe(200);
        ids[name] = res.body.appConnection.id;
      }
    });

    it('lists connections by name; a project filter that names nothing lists nothing', async () => {
      const names = (res: HttpResult) => res.body.appConnections.map((c: { name: string }) => c.name);
      const all = names(await call('GET', CONNECTIONS));
      expect(all).toEqual([...all].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(all.indexOf('alpha-lookup')).toBeLessThan(all.indexOf('zeta-lookup'));
      expect(names(await call('GET', `${CONNECTIONS}?projectId=${project.id}`))).toEqual(['mid-lookup']);
      expect(names(await call('GET', `${CONNECTIONS}?projectId=not-a-project&unknown=1`))).toEqual([]);
      const everyApp = names(await call('GET', '/api/v1/app-connections'));
      expect(everyApp).toEqual(expect.arrayContaining(['alpha-lookup', 'mid-lookup', 'zeta-lookup']));
      expect(everyApp).toEqual([...everyApp].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
    });

    it('GET /available lists the usable connections as {app, name, id, projectId, orgId}', async () => {
      const orgLevel = await call('GET', `${CONNECTIONS}/available`);
      expect(orgLevel.status).toBe(200);
      const entry = orgLevel.body.appConnections.find((c: { name: string }) => c.name === 'alpha-lookup');
      expect(entry).toEqual({ app: 'github', name: 'alpha-lookup', id: ids['alpha-lookup'], projectId: null, orgId: t.organizationId });
      expect(orgLevel.body.appConnections.map((c: { name: string }) => c.name)).not.toContain('mid-lookup');
      const withProject = await call('GET', `${CONNECTIONS}/available?projectId=${project.id}`);
      const names = withProject.body.appConnections.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['alpha-lookup', 'mid-lookup', 'zeta-lookup']));
      expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
      expect(withProject.body.appConnections.find((c: { name: string }) => c.name === 'mid-lookup')).toEqual({ app: 'github', name: 'mid-lookup', id: ids['mid-lookup'], projectId: project.id, orgId: t.organizationId });
      const unknown = randomUUID();
      expectError(await call('GET', `${CONNECTIONS}/available?projectId=${unknown}`), 400, 'BadRequest', `Could not find project with ID ${unknown}`);
    });

    it("answers a path under its prefix that no route serves with Infisical's 404 (a client's `./` collapsed)", async () => {
      for (const [method, path] of [['POST', `${CONNECTIONS}/access-token`], ['GET', `${CONNECTIONS}/x/y/z`], ['GET', '/api/v1/app-connections/nope']]) {
        const res = await call(method, path, method === 'POST' ? {} : undefined);
        expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 404, body: { reqId: res.headers.get('x-request-id'), statusCode: 404, error: 'NotFound', message: expect.any(String) } });
      }
      // Outside the prefix, the hub's own body.
      const other = await call('GET', '/api/v1/app-connectionsx');
      expect(other.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', requestId: other.headers.get('x-request-id') });
    });

    it('gets by id, and answers an id that is not a uuid with 422 and an unknown one with 404', async () => {
      const res = await call('GET', `${CONNECTIONS}/${ids['alpha-lookup']}`);
      expect(res.status).toBe(200);
      expect(res.body.appConnection).toMatchObject({ id: ids['alpha-lookup'], name: 'alpha-lookup' });
      expectIssues(await call('GET', `${CONNECTIONS}/not-a-uuid`), [{ code: 'invalid_string', validation: 'uuid', path: ['connectionId'], message: 'Invalid uuid' }]);
      const unknown = randomUUID();
      expectError(await call('GET', `${CONNECTIONS}/${unknown}`), 404, 'NotFound', `Could not find App Connection with ID ${unknown}`);
    });

    it('gets by name in the organization or a project scope, with upstream not-found texts', async () => {
      expect((await call('GET', `${CONNECTIONS}/connection-name/alpha-lookup`)).body.appConnection.id).toBe(ids['alpha-lookup']);
      expect((await call('GET', `${CONNECTIONS}/connection-name/mid-lookup?projectId=${project.id}`)).body.appConnection.id).toBe(ids['mid-lookup']);
      expectError(await call('GET', `${CONNECTIONS}/connection-name/mid-lookup`), 404, 'NotFound', 'Could not find App Connection with name mid-lookup in organization scope.');
      expectError(await call('GET', `${CONNECTIONS}/connection-name/alpha-lookup?projectId=${project.id}`), 404, 'NotFound', 'Could not find App Connection with name alpha-lookup in project scope.');
      // Names are looked up as given (trimmed), not checked as slugs.
      expectError(await call('GET', `${CONNECTIONS}/connection-name/Not%20A%20Slug`), 404, 'NotFound', 'Could not find App Connection with name Not A Slug in organization scope.');
    });
  });

  describe('PATCH and DELETE /api/v1/app-connections/github/:connectionId', () => {
    it('updates name and description, drops unknown fields, and refuses bad fields and the wrong credentials shape', async () => {
      const id = (await call('POST', CONNECTIONS, { body: validBody() })).body.appConnection.id;
      const renamed = uniqueName();
      const res = await call('PATCH', `${CONNECTIONS}/${id}`, { body: { name: ` ${renamed} `, description: null, isAutoRotationEnabled: false, rotation: null } });
      expect(res.status).toBe(200);
      expect(res.body.appConnection).toMatchObject({ id, name: renamed, description: null, version: 2 });
      expectIssues(await call('PATCH', `${CONNECTIONS}/${id}`, { body: { name: null } }), [{ code: 'invalid_type', expected: 'string', received: 'null', path: ['name'], message: 'Expected string, received null' }]);
      expectIssues(await call('PATCH', `${CONNECTIONS}/${id}`, { body: { name: 'Bad Name' } }), [{ code: 'custom', path: ['name'], message: 'name field can only contain lowercase letters, numbers, and hyphens' }]);
      expectIssues(await call('PATCH', `${CONNECTIONS}/${id}`, { body: { isPlatformManagedCredentials: true } }), [
        { code: 'invalid_literal', expected: false, received: true, path: ['isPlatformManagedCredentials'], message: 'Not supported for GitHub Connections' },
      ]);
      expectError(await call('PATCH', `${CONNECTIONS}/${id}`, { body: { credentials: { code: codeFor(installation.id) } } }), 400, 'BadRequest', 'Invalid credential format for GitHub Connection with method GitHub App');
      expectIssues(await call('PATCH', `${CONNECTIONS}/not-a-uuid`, { body: {} }), [{ code: 'invalid_string', validation: 'uuid', path: ['connectionId'], message: 'Invalid uuid' }]);
      const unknown = randomUUID();
      expectError(await call('PATCH', `${CONNECTIONS}/${unknown}`, { body: {} }), 404, 'NotFound', `Could not find App Connection with ID ${unknown}`);
    });

    it('deletes, then answers 404; an id that is not a uuid is 422', async () => {
      const id = (await call('POST', CONNECTIONS, { body: validBody() })).body.appConnection.id;
      const res = await call('DELETE', `${CONNECTIONS}/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.appConnection.id).toBe(id);
      expectError(await call('DELETE', `${CONNECTIONS}/${id}`), 404, 'NotFound', `Could not find App Connection with ID ${id}`);
      expectIssues(await call('DELETE', `${CONNECTIONS}/xyz`), [{ code: 'invalid_string', validation: 'uuid', path: ['connectionId'], message: 'Invalid uuid' }]);
    });
  });

  describe('tokens and repositories (hub additions on this face)', () => {
    it('mints and lists for a github-app connection; an oauth connection has no installation: 400', async () => {
      const app = (await call('POST', CONNECTIONS, { body: validBody() })).body.appConnection.id;
      const minted = await call('POST', `${CONNECTIONS}/${app}/access-token`, { body: {} });
      expect(minted.status).toBe(200);
      expect(minted.body.token).toMatch(/^ghs_/);
      expect((await call('GET', `${CONNECTIONS}/${app}/repositories`)).status).toBe(200);
      const oauth = (await call('POST', CONNECTIONS, { body: { method: 'oauth', name: uniqueName(), credentials: { code: codeFor(installation.id) } } })).body.appConnection.id;
      expectError(await call('POST', `${CONNECTIONS}/${oauth}/access-token`, { body: {} }), 400, 'BadRequest', 'Cannot generate GitHub App token for non-app connection');
      expectError(await call('GET', `${CONNECTIONS}/${oauth}/repositories`), 400, 'BadRequest', 'Cannot generate GitHub App token for non-app connection');
    });
  });

  describe('authentication and permissions', () => {
    it('401 "Token missing" without a key, 401 UnauthorizedError for a bad key, 403 PermissionDenied naming the scope', async () => {
      const missing = await http(t.url, 'GET', CONNECTIONS, { headers: { 'x-organization-id': t.organizationId } });
      expectError(missing, 401, 'UnauthorizedError', 'Token missing');
      const bad = await http(t.url, 'GET', CONNECTIONS, { key: 'ihk_not-a-real-key-at-all-000000000000000000000', headers: { 'x-organization-id': t.organizationId } });
      expectError(bad, 401, 'UnauthorizedError', 'Invalid or missing API key');
      const readOnly = await keyWithScopes(t, ['integration:read']);
      const refused = await http(t.url, 'POST', CONNECTIONS, { key: readOnly, body: validBody(), headers: { 'x-organization-id': t.organizationId } });
      expectError(refused, 403, 'PermissionDenied', "API key missing required scope 'integration:write'");
    });
  });
});
