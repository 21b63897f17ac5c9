import { FakeGithub } from './fakes/github/fake-github.server';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addUser, keyWithScopes } from './support/identity';

describe('audit log', () => {
  let fake: FakeGithub;
  let t: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const auditLog = (query = '', key = t.key) => http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log${query}`, { key });

  it('records create, update, token mint and delete with actor, key and request id, never secrets', async () => {
    const key = await keyWithScopes(t, ['integration:write']);
    const keyId = (await t.db.query('SELECT id FROM personal_api_keys ORDER BY created_at DESC LIMIT 1')).rows[0].id;
    const { res: created, code } = await createConnection(t, fake, fake.installation.id, { name: 'audited' }, key);
    const id = created.body.appConnection.id;
    const updated = await http(t.url, 'PATCH', `${CONNECTIONS}/${id}`, { key, body: { description: 'x' } });
    const minted = await http(t.url, 'POST', `${CONNECTIONS}/${id}/access-token`, { key, body: {} });
    const deleted = await http(t.url, 'DELETE', `${CONNECTIONS}/${id}`, { key });
    expect([created.status, updated.status, minted.status, deleted.status]).toEqual([200, 200, 200, 200]);

    const log = await auditLog(`?target=app_connection:${id}`);
    expect(log.status).toBe(200);
    const entry = (action: string, res: typeof created) => ({
      id: expect.any(String),
      actor: t.userId,
      key_id: String(keyId),
      action,
      target: `app_connection:${id}`,
      request_id: res.headers.get('x-request-id'),
      ip: '127.0.0.1',
      changes: null,
      created_at: expect.any(String),
    });
    expect(log.body).toEqual({
      count: 4,
      limit: 100,
      offset: 0,
      next: null,
      results: expect.arrayContaining([
        entry('app_connection.create', created),
        entry('app_connection.update', updated),
        entry('app_connection.token_mint', minted),
        entry('app_connection.delete', deleted),
      ]),
    });
    expect(log.text).not.toContain(code);
    expect(log.text).not.toContain(minted.body.token);
    expect(log.text).not.toContain(String(fake.installation.id));

    const mints = await auditLog(`?action=app_connection.token_mint&target=app_connection:${id}`);
    expect(mints.body.results.map((e: { action: string }) => e.action)).toEqual(['app_connection.token_mint']);
    const page = await auditLog(`?target=app_connection:${id}&limit=1&offset=1`);
    expect(page.body).toMatchObject({ count: 4, limit: 1, offset: 1 });
    expect(page.body.results).toHaveLength(1);
  });

  it('is readable by owners and admins only, with organization:read', async () => {
    const admin = await addUser(t, 'admin');
    const member = await addUser(t, 'member');
    expect((await auditLog('', admin.key)).status).toBe(200);
    expect((await auditLog('', member.key)).status).toBe(403);
    const noScope = await keyWithScopes(t, ['integration:read']);
    const refused = await auditLog('', noScope);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("API key missing required scope 'organization:read'");
    expect((await auditLog('?limit=0')).status).toBe(400);
  });
});
