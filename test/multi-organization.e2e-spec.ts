import { KeyDefaultOrganization1796170000000 } from '../src/database/migrations/1796170000000-KeyDefaultOrganization';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';

/**
 * Issue 17, item 5: a user's second organization does not break the keys they already have. Each test gets its own
 * hub (its keys and organizations are what it asserts on, so nothing may leak between tests in any order).
 */
describe('more than one organization', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await startTestHub();
  });
  afterEach(async () => t?.close());

  // Workspace face, Infisical face, project face, object face (an unknown integration: past the organization, 404).
  const faces = ['/api/integrations', '/api/v1/app-connections', `/api/projects/${'PROJECT'}`, '/api/integrations/00000000-0000-4000-8000-000000000000'];

  it('keeps every older key on the organization it was created in; the header still chooses another', async () => {
    const scoped = await keyWithScopes(t, ['integration:read', 'project:read']);
    const admin = await addUser(t, 'admin');
    const before = async (key: string) => {
      const statuses: number[] = [];
      for (const path of faces) statuses.push((await http(t.url, 'GET', path.replace('PROJECT', t.projectId), { key })).status);
      return statuses;
    };
    expect(await before(t.key)).toEqual([200, 200, 200, 404]);

    const second = await addOrganization(t, 'Second organization');
    // The admin joins a second organization too.
    const invite = await http(t.url, 'POST', `/api/organizations/${second.organizationId}/invites`, { key: t.key, body: { email: admin.email, role: 'member' } });
    expect((await http(t.url, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'Admin' } })).status).toBe(200);

    for (const key of [t.key, scoped, admin.key]) {
      expect(await before(key)).toEqual([200, 200, 200, 404]);
      // The workspace face acts on the first organization: its admin may connect there (a member could not).
      const listed = await http(t.url, 'GET', '/api/integrations', { key });
      expect(listed.status).toBe(200);
    }
    const adminOnFirst = await http(t.url, 'POST', '/api/integrations/slack/connect', { key: admin.key, body: {} });
    // Past the organization and role checks (the provider itself is not configured in this test).
    expect(adminOnFirst.body.code).not.toMatch(/^(ORGANIZATION_REQUIRED|MISSING_ROLE|MISSING_PERMISSION)$/);
    const adminOnSecond = await http(t.url, 'POST', '/api/integrations/slack/connect', { key: admin.key, body: {}, headers: { 'x-organization-id': second.organizationId } });
    expect(adminOnSecond.status).toBe(403);

    const keys = await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key });
    const listed = keys.body.results as Array<{ default_organization_id: string }>;
    expect(listed.map((k) => k.default_organization_id)).toEqual(listed.map(() => t.organizationId));
    // A key created from the bootstrap key inherits its organization; one asked for the second acts there.
    const forSecond = await keyWithScopes(t, ['integration:read'], t.key, { default_organization_id: second.organizationId });
    const apps = await http(t.url, 'GET', '/api/v1/app-connections', { key: forSecond });
    expect(apps.status).toBe(200);
    const me = await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key });
    expect(me.body.results.find((k: { label: string; default_organization_id: string }) => k.default_organization_id === second.organizationId)).toBeDefined();
  });

  it('names every way out when a key has no organization of its own', async () => {
    await addOrganization(t, 'Second organization');
    const unanchored = await keyWithScopes(t, ['integration:read'], t.key, { default_organization_id: null });
    const res = await http(t.url, 'GET', '/api/integrations', { key: unanchored });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ORGANIZATION_REQUIRED');
    expect(res.body.message).toMatch(/X-Organization-Id: <id>.*GET \/api\/organizations.*scoped_organization_id.*default_organization_id/);
    expect(res.body.message).toContain(t.organizationId);
    const chosen = await http(t.url, 'GET', '/api/integrations', { key: unanchored, headers: { 'x-organization-id': t.organizationId } });
    expect(chosen.status).toBe(200);
    const foreign = await http(t.url, 'POST', '/api/personal_api_keys', {
      key: t.key,
      body: { label: 'x', scopes: ['integration:read'], default_organization_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(foreign.status).toBe(404);
  });

  it('migrates existing keys to the organization their user had when they were created', async () => {
    await addOrganization(t, 'Second organization');
    const fresh = await keyWithScopes(t, ['integration:read']);
    const id = (await t.db.query(`SELECT id FROM personal_api_keys ORDER BY created_at DESC LIMIT 1`)).rows[0].id;
    await t.db.query('UPDATE personal_api_keys SET default_organization_id = NULL WHERE id = $1', [id]);
    const migration = new KeyDefaultOrganization1796170000000();
    const runner = { query: (sql: string) => (sql.startsWith('UPDATE') ? t.db.query(sql) : Promise.resolve()) };
    await migration.up(runner as never);
    // The user has two organizations now, but had only the first when this key... was created after both: ambiguous.
    const row = (await t.db.query('SELECT default_organization_id FROM personal_api_keys WHERE id = $1', [id])).rows[0];
    expect(row.default_organization_id).toBeNull();
    expect((await http(t.url, 'GET', '/api/integrations', { key: fresh })).status).toBe(400);
    // The bootstrap key predates the second organization: unambiguous.
    await t.db.query(`UPDATE personal_api_keys SET default_organization_id = NULL WHERE label = 'Bootstrap key'`);
    await migration.up(runner as never);
    const boot = (await t.db.query(`SELECT default_organization_id FROM personal_api_keys WHERE label = 'Bootstrap key'`)).rows[0];
    expect(boot.default_organization_id).toBe(t.organizationId);
  });
});
