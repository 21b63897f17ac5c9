import { randomUUID } from 'node:crypto';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { CONNECTIONS, createConnection, startFakeGhes } from './support/app-connections';
import { http, HttpResult } from './support/http';
import { startHttpProxy, TestHttpProxy } from './support/http-proxy';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';

describe('app connections (Infisical face)', () => {
  let fake: FakeGithub;
  let ghes: Awaited<ReturnType<typeof startFakeGhes>>;
  let proxy: TestHttpProxy;
  let t: TestHub;
  let first: FakeInstallation;
  let second: FakeInstallation;
  const gatewayId = randomUUID();
  /** Every response of these endpoints, checked for secrets at the end. */
  const responses: HttpResult[] = [];
  const secrets: string[] = [];
  const call = async (method: string, path: string, opts: Parameters<typeof http>[3] = {}) => {
    const res = await http(t.url, method, path, { key: t.key, ...opts, headers: { 'x-organization-id': t.organizationId, ...opts.headers } });
    responses.push(res);
    return res;
  };
  const create = async (installationId: number, body: Record<string, unknown> = {}, key = t.key) => {
    const { res, code } = await createConnection(t, fake, installationId, body, key);
    responses.push(res);
    secrets.push(code);
    return res;
  };
  const expectInfisical = (res: HttpResult, status: number, error: string, message?: string | RegExp) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ reqId: res.headers.get('x-request-id'), statusCode: status, message: message instanceof RegExp ? expect.stringMatching(message) : (message ?? expect.any(String)), error });
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3, installations: 2 }).start();
    [first, second] = [...fake.model.installations.values()];
    ghes = await startFakeGhes(fake);
    proxy = await startHttpProxy();
    t = await startTestHub({
      env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GATEWAYS: JSON.stringify({ [gatewayId]: proxy.url }), OUTBOUND_EXTRA_CA_CERTS: `@${ghes.ca.caFile}` },
    });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await ghes?.close();
    await fake?.stop();
  });

  it('creates a cloud connection: Infisical shape, version 1, credentials redacted, only the sealed installation kept', async () => {
    const res = await create(first.id, { name: 'my-github', description: 'CI access' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      appConnection: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'my-github',
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
    const row = (await t.db.query('SELECT sealed_credentials FROM app_connections WHERE id = $1', [res.body.appConnection.id])).rows[0];
    expect(row.sealed_credentials).toMatch(/^v1\.test1\./);
    expect(row.sealed_credentials).not.toContain(String(first.id));
    expect(fake.stats.byRoute['POST /login/oauth/access_token']).toBeGreaterThanOrEqual(1);
    expect(fake.stats.byRoute['GET /user/installations']).toBeGreaterThanOrEqual(1);
  });

  it('refuses a duplicate name per organization and project and unknown gateways', async () => {
    expect((await create(first.id, { name: 'dupe' })).status).toBe(200);
    expectInfisical(await create(first.id, { name: 'dupe' }), 400, 'BadRequest', 'An App Connection with the name "dupe" already exists');
    expect((await create(first.id, { name: 'dupe', projectId: t.projectId })).status).toBe(200);
    expectInfisical(await create(first.id, { name: 'dupe', projectId: t.projectId }), 400, 'BadRequest', 'An App Connection with the name "dupe" already exists');
    const unknown = randomUUID();
    expectInfisical(await create(first.id, { gatewayId: unknown }), 404, 'NotFound', `Could not find Gateway with ID ${unknown}`);
  });

  it('refuses a user who cannot see the installation (403) and a bad code (400)', async () => {
    const outsider = fake.model.addUser('outsider', [second.id]);
    const res = await call('POST', CONNECTIONS, { body: { method: 'github-app', name: 'nope', credentials: { code: fake.issueCode(outsider.id), installationId: String(first.id), instanceType: 'cloud' } } });
    expectInfisical(res, 403, 'ForbiddenError', 'User does not have access to the provided installation');
    const bad = await call('POST', CONNECTIONS, { body: { method: 'github-app', name: 'nope', credentials: { code: 'not-a-code', installationId: String(first.id) } } });
    expectInfisical(bad, 400, 'BadRequest', 'The GitHub authorization code is invalid or expired');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM app_connections WHERE name = 'nope'`)).rows[0].n).toBe(0);
  });

  it('gets by id and by name, lists, and answers 404 for unknown ids and other organizations', async () => {
    const created = (await create(first.id, { name: 'lookup', projectId: t.projectId })).body.appConnection;
    expect((await call('GET', `${CONNECTIONS}/${created.id}`)).body).toEqual({ appConnection: created });
    expect(created.project).toEqual({ id: t.projectId, name: expect.any(String), type: 'integrations', slug: expect.any(String) });
    expect((await call('GET', `${CONNECTIONS}/connection-name/lookup?projectId=${t.projectId}`)).body).toEqual({ appConnection: created });
    expectInfisical(await call('GET', `${CONNECTIONS}/connection-name/lookup`), 404, 'NotFound', 'Could not find App Connection with name lookup in organization scope.');
    const list = await call('GET', CONNECTIONS);
    expect(list.body.appConnections.map((c: { id: string }) => c.id)).toContain(created.id);
    const projectList = await call('GET', `${CONNECTIONS}?projectId=${t.projectId}`);
    expect(projectList.body.appConnections.every((c: { projectId: string }) => c.projectId === t.projectId)).toBe(true);
    expect((await call('GET', '/api/v1/app-connections')).body.appConnections.map((c: { id: string }) => c.id)).toContain(created.id);

    const missing = randomUUID();
    expectInfisical(await call('GET', `${CONNECTIONS}/${missing}`), 404, 'NotFound', `Could not find App Connection with ID ${missing}`);
    const other = await addOrganization(t, 'Elsewhere');
    const foreign = await call('GET', `${CONNECTIONS}/${created.id}`, { headers: { 'x-organization-id': other.organizationId } });
    expectInfisical(foreign, 404, 'NotFound', `Could not find App Connection with ID ${created.id}`);
    expectInfisical(await call('DELETE', `${CONNECTIONS}/${created.id}`, { headers: { 'x-organization-id': other.organizationId } }), 404, 'NotFound');
  });

  it('lets members read but not write, and keys without the scope learn nothing', async () => {
    const member = await addUser(t, 'member');
    const created = (await create(first.id)).body.appConnection;
    expect((await call('GET', `${CONNECTIONS}/${created.id}`, { key: member.key })).status).toBe(200);
    expectInfisical(await create(first.id, {}, member.key), 403, 'PermissionDenied');
    expectInfisical(await call('DELETE', `${CONNECTIONS}/${created.id}`, { key: member.key }), 403, 'PermissionDenied');
    const readOnly = await keyWithScopes(t, ['integration:read']);
    expectInfisical(await call('PATCH', `${CONNECTIONS}/${randomUUID()}`, { key: readOnly, body: { name: 'Bad Name' } }), 403, 'PermissionDenied', "API key missing required scope 'integration:write'");
  });

  it('bumps the version on every change and changes credentialsHash exactly when the credentials change', async () => {
    const created = (await create(first.id, { name: 'evolving' })).body.appConnection;
    const renamed = await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { name: 'evolved', description: null } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.appConnection).toMatchObject({ name: 'evolved', description: null, version: 2, credentialsHash: created.credentialsHash });

    const same = fake.model.addUser('same-installation', [first.id]);
    const sameCode = fake.issueCode(same.id);
    secrets.push(sameCode);
    const resubmitted = await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { credentials: { code: sameCode, installationId: String(first.id), instanceType: 'cloud' } } });
    expect(resubmitted.body.appConnection).toMatchObject({ version: 3, credentialsHash: created.credentialsHash });

    const other = fake.model.addUser('other-installation', [second.id]);
    const otherCode = fake.issueCode(other.id);
    secrets.push(otherCode);
    const moved = await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { credentials: { code: otherCode, installationId: String(second.id) } } });
    expect(moved.body.appConnection.version).toBe(4);
    expect(moved.body.appConnection.credentialsHash).not.toBe(created.credentialsHash);
    const twin = (await create(second.id)).body.appConnection;
    expect(twin.credentialsHash).toBe(moved.body.appConnection.credentialsHash);

    expect((await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { name: 'evolved' } })).body.appConnection.version).toBe(4);
    await create(first.id, { name: 'taken' });
    expectInfisical(await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { name: 'taken' } }), 400, 'BadRequest', 'An App Connection with the name "taken" already exists');
  });

  it('connects a GitHub Enterprise Server over https://{host} with the API at /api/v3, and mints through it', async () => {
    const cloud = (await create(first.id)).body.appConnection;
    const res = await create(first.id, { name: 'ghes', credentials: { instanceType: 'server', host: ghes.host } });
    expect(res.status).toBe(200);
    expect(res.body.appConnection.credentials).toEqual({ instanceType: 'server', host: ghes.host });
    expect(res.body.appConnection.credentialsHash).not.toBe(cloud.credentialsHash);
    expect(ghes.server.hits).toEqual(expect.arrayContaining(['/login/oauth/access_token', expect.stringMatching(/^\/api\/v3\/user\/installations/)]));
    const token = await call('POST', `${CONNECTIONS}/${res.body.appConnection.id}/access-token`, { body: {} });
    expect(token.status).toBe(200);
    expect(ghes.server.hits).toContain(`/api/v3/app/installations/${first.id}/access_tokens`);
  });

  it('sends a gateway connection\'s outbound calls through the gateway proxy', async () => {
    const before = proxy.seen.length;
    const res = await create(first.id, { name: 'via-gateway', gatewayId });
    expect(res.status).toBe(200);
    expect(res.body.appConnection.gatewayId).toBe(gatewayId);
    const fakeHost = new URL(fake.url).host;
    expect(proxy.seen.slice(before).some((line) => line.includes(fakeHost))).toBe(true);
    const mintsBefore = fake.mintCount(first.id);
    const bytesAfterCreate = proxy.tunnelledBytes;
    const token = await call('POST', `${CONNECTIONS}/${res.body.appConnection.id}/access-token`, { body: { repositories: [fake.model.installationRepos(first)[0].name] } });
    expect(token.status).toBe(200);
    expect(fake.mintCount(first.id)).toBe(mintsBefore + 1);
    expect(proxy.tunnelledBytes).toBeGreaterThan(bytesAfterCreate);
    // Leaving the gateway moves where the credentials are used: only with them presented again.
    const refused = await call('PATCH', `${CONNECTIONS}/${res.body.appConnection.id}`, { body: { gatewayId: null } });
    expectInfisical(refused, 400, 'BadRequest', /present them again/);
    const user = fake.model.addUser(`dev-gw-${Date.now()}`, [first.id]);
    const credentials = { code: fake.issueCode(user.id), installationId: String(first.id), instanceType: 'cloud' };
    const cleared = await call('PATCH', `${CONNECTIONS}/${res.body.appConnection.id}`, { body: { gatewayId: null, credentials } });
    expect(cleared.body.appConnection).toMatchObject({ gatewayId: null, version: 2 });
    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?target=app_connection:${res.body.appConnection.id}`, { key: t.key });
    expect(audit.body.results.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['app_connection.destination_change_refused', 'app_connection.destination_change']));
  });

  it('mints installation tokens (cached, narrowed, at most 500 repositories) and lists repositories', async () => {
    const id = (await create(first.id)).body.appConnection.id;
    const mintsBefore = fake.mintCount(first.id);
    const a = await call('POST', `${CONNECTIONS}/${id}/access-token`, { body: { permissions: { contents: 'read' } } });
    const b = await call('POST', `${CONNECTIONS}/${id}/access-token`, { body: { permissions: { contents: 'read' } } });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ token: expect.stringMatching(/^ghs_/), expires_at: expect.any(String), permissions: { contents: 'read' }, repository_selection: 'all' });
    expect(b.body.token).toBe(a.body.token);
    expect(fake.mintCount(first.id)).toBe(mintsBefore + 1);
    const tooMany = await call('POST', `${CONNECTIONS}/${id}/access-token`, { body: { repository_ids: Array.from({ length: 501 }, (_, i) => i + 1) } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.message).toEqual([{ code: 'custom', message: 'At most 500 repositories can be requested for one token', path: [] }]);
    const repos = await call('GET', `${CONNECTIONS}/${id}/repositories`);
    expect(repos.status).toBe(200);
    expect(repos.body.repositories.map((r: { full_name: string }) => r.full_name).sort()).toEqual(fake.model.installationRepos(first).map((r) => `${first.account.login}/${r.name}`).sort());
    expectInfisical(await call('POST', `${CONNECTIONS}/${randomUUID()}/access-token`, { body: {} }), 404, 'NotFound', /^Could not find App Connection with ID /);
  });

  it('refuses to delete a connection an integration references (configuration.appConnectionId), then deletes it', async () => {
    const created = (await create(first.id, { name: 'referenced' })).body.appConnection;
    await t.db.query(
      `INSERT INTO integrations (id, organization_id, provider, external_account_id, configuration, display_name) VALUES (987654321, $1, 'github', 'ref-test', $2, 'CI sync')`,
      [t.organizationId, JSON.stringify({ appConnectionId: created.id })],
    );
    const refused = await call('DELETE', `${CONNECTIONS}/${created.id}`);
    expectInfisical(refused, 400, 'BadRequest', 'Cannot delete App Connection: it is referenced by integration 987654321 (CI sync). Remove these references and try again.');
    await t.db.query('DELETE FROM integrations WHERE id = 987654321');
    const deleted = await call('DELETE', `${CONNECTIONS}/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.appConnection).toMatchObject({ id: created.id, name: 'referenced' });
    expectInfisical(await call('GET', `${CONNECTIONS}/${created.id}`), 404, 'NotFound', `Could not find App Connection with ID ${created.id}`);
  });

  it('lists the supported apps and methods with their setup URL', async () => {
    const res = await call('GET', '/api/v1/app-connections/options');
    expect(res.body).toEqual({
      appConnectionOptions: [{ name: 'GitHub', app: 'github', methods: ['github-app', 'oauth'], oauthClientId: fake.clientId, appClientSlug: fake.appSlug, setupUrl: `${fake.url}/apps/${fake.appSlug}/installations/new` }],
    });
  });

  it('never returns a code, a token other than a minted one, or an installation id', async () => {
    // Its own traffic over every route (so it stands alone), checked together with what the other tests saw.
    const created = (await create(first.id, { name: 'leak-check', projectId: t.projectId })).body.appConnection;
    await call('GET', `${CONNECTIONS}/${created.id}`);
    await call('GET', `${CONNECTIONS}/connection-name/leak-check?projectId=${t.projectId}`);
    await call('GET', CONNECTIONS);
    await call('GET', `${CONNECTIONS}/available?projectId=${t.projectId}`);
    await call('GET', '/api/v1/app-connections');
    await call('PATCH', `${CONNECTIONS}/${created.id}`, { body: { description: 'checked' } });
    await call('POST', `${CONNECTIONS}/${created.id}/access-token`, { body: {} });
    await call('GET', `${CONNECTIONS}/${created.id}/repositories`);
    await create(second.id, { credentials: { code: 'wrong-code' } });
    await call('DELETE', `${CONNECTIONS}/${created.id}`);
    const installationIds = [first.id, second.id].map((id) => new RegExp(`(?<![0-9a-f-])${id}(?![0-9a-f])`));
    for (const res of responses) {
      if (/"token":"ghs_/.test(res.text)) continue;
      for (const code of secrets) expect(res.text).not.toContain(code);
      expect(res.text).not.toMatch(/gh[us]_|"installationId"|sealed|v1\.test1\./);
      for (const re of installationIds) expect({ text: res.text, leaks: re.test(res.text) }).toEqual({ text: res.text, leaks: false });
    }
    // At least its own traffic (eleven responses); whatever the other tests saw before it is checked too.
    expect(responses.length).toBeGreaterThanOrEqual(11);
  });
});
