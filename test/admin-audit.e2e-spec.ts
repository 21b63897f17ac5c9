import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';

interface Entry {
  actor: string;
  key_id: string | null;
  action: string;
  target: string;
  ip: string | null;
  request_id: string | null;
  changes: Record<string, unknown> | null;
  created_at: string;
}

/** Issue 17, item 6: every admin action family leaves an entry (who, when, from where, what changed), never a secret. */
describe('audit log of admin actions', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  const log = async (query = '', organizationId = t.organizationId) => {
    const res = await http(t.url, 'GET', `/api/organizations/${organizationId}/audit-log${query}`, { key: t.key });
    expect(res.status).toBe(200);
    return res;
  };
  const entries = async (query = '') => (await log(query)).body.results as Entry[];

  it('records keys, invites, members, organizations, policies, integrations, scans and proxy records, without secrets', async () => {
    const secrets: string[] = [];
    const since = new Date(Date.now() - 1000).toISOString();
    // Keys: create, roll, revoke.
    const key = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'audited key', scopes: ['integration:read'] } });
    secrets.push(key.body.value);
    const rolled = await http(t.url, 'POST', `/api/personal_api_keys/${key.body.id}/roll`, { key: t.key });
    secrets.push(rolled.body.value);
    expect((await http(t.url, 'DELETE', `/api/personal_api_keys/${key.body.id}`, { key: t.key })).status).toBe(204);
    // Invites and members: create, accept, revoke; role change; removal.
    const invite = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: t.key, body: { email: 'dropped@example.test', role: 'member' } });
    secrets.push(invite.body.token);
    expect((await http(t.url, 'DELETE', `/api/organizations/${t.organizationId}/invites/${invite.body.id}`, { key: t.key })).status).toBe(204);
    const member = await addUser(t, 'member');
    secrets.push(member.key);
    expect((await http(t.url, 'PATCH', `/api/organizations/${t.organizationId}/members/${member.userId}`, { key: t.key, body: { role: 'admin' } })).status).toBe(200);
    expect((await http(t.url, 'DELETE', `/api/organizations/${t.organizationId}/members/${member.userId}`, { key: t.key })).status).toBe(204);
    expect((await http(t.url, 'PATCH', `/api/organizations/${t.organizationId}`, { key: t.key, body: { name: 'Renamed organization' } })).status).toBe(200);
    // Integrations and policies.
    const integration = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations`, { key: t.key, body: { kind: 'email', config: { smtp_password: 'hunter2-secret' } } });
    secrets.push('hunter2-secret');
    const policy = await http(t.url, 'POST', '/api/policies', { key: t.key, body: { name: 'Digest', provider: 'mantisbt', action: 'create_issue', enabled: false, config: { project: 'policy-secret-value' } } });
    secrets.push('policy-secret-value');
    expect(policy.status).toBe(201);
    expect((await http(t.url, 'PATCH', `/api/policies/${policy.body.id}`, { key: t.key, body: { name: 'Digest 2' } })).status).toBe(200);
    expect((await http(t.url, 'DELETE', `/api/policies/${policy.body.id}`, { key: t.key })).status).toBe(204);
    // Scans and baselines.
    const baseline = await http(t.url, 'PUT', '/api/integrations/github/scan-baseline', { key: t.key, body: { minApprovingReviews: 2 } });
    // Proxy records (Domain Connect).
    const record = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/proxy_records`, { key: t.key, body: { domain: 'ph.acme.com' } });
    expect(record.status).toBe(201);
    expect((await http(t.url, 'DELETE', `/api/organizations/${t.organizationId}/proxy_records/${record.body.id}`, { key: t.key })).status).toBe(204);

    const all = await log('?limit=100');
    const actions = (all.body.results as Entry[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'personal_api_key.create',
        'personal_api_key.roll',
        'personal_api_key.revoke',
        'invite.create',
        'invite.revoke',
        'invite.accept',
        'member.update',
        'member.remove',
        'organization.update',
        'policy.create',
        'policy.update',
        'policy.delete',
        'proxy_record.create',
        'proxy_record.delete',
      ]),
    );
    if (integration.status === 201) expect(actions).toContain('integration.connect');
    if (baseline.status === 200) expect(actions).toContain('scan_baseline.update');
    for (const secret of secrets) expect(all.text).not.toContain(secret);

    const role = (await entries(`?action=member.update&target=user:${member.userId}`))[0];
    expect(role).toMatchObject({ actor: t.userId, ip: '127.0.0.1', changes: { role: { old: 'member', new: 'admin' } } });
    expect(role.request_id).toEqual(expect.any(String));
    const renamed = (await entries('?action=organization.update'))[0];
    expect(renamed.changes).toEqual({ name: { old: 'Default organization', new: 'Renamed organization' } });
    const policyCreated = (await entries(`?target=policy:${policy.body.id}&action=policy.create`))[0];
    expect(policyCreated.changes).toMatchObject({ name: 'Digest', provider: 'mantisbt', config: '[changed]' });
    const accepted = (await entries('?action=invite.accept'))[0];
    expect(accepted.actor).toBe(member.userId);

    // Filters: actor, since/until; pagination with next.
    const byMember = await entries(`?actor=${member.userId}`);
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((e) => e.actor === member.userId)).toBe(true);
    expect(await entries(`?until=${since}&action=policy.create`)).toEqual([]);
    expect((await entries(`?since=${since}&action=policy.create`)).length).toBe(1);
    const first = await log('?limit=2');
    expect(first.body).toMatchObject({ limit: 2, offset: 0, next: `http://hub.example.test/api/organizations/${t.organizationId}/audit-log?limit=2&offset=2` });
    const second = await http(t.url, 'GET', first.body.next.replace('http://hub.example.test', ''), { key: t.key });
    expect(second.body.offset).toBe(2);
    expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
    const last = await log(`?limit=100&offset=${all.body.count - 1}`);
    expect(last.body.next).toBeNull();
    expect((await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?since=yesterday`, { key: t.key })).status).toBe(400);
  });

  it('deletes an organization with everything it owns, only for an owner naming it, leaving others untouched', async () => {
    const doomed = await addOrganization(t, 'Doomed');
    const admin = await addUser(t, 'admin', doomed.organizationId);
    await http(t.url, 'POST', `/api/organizations/${doomed.organizationId}/invites`, { key: t.key, body: { email: 'pending@example.test', role: 'member' } });
    await http(t.url, 'POST', `/api/organizations/${doomed.organizationId}/projects`, { key: t.key, body: { name: 'Second project' } });
    const pinned = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'pinned', scopes: ['integration:read'], scoped_organization_id: doomed.organizationId } });
    await http(t.url, 'POST', '/api/policies', { key: t.key, headers: { 'x-organization-id': doomed.organizationId }, body: { name: 'P', provider: 'mantisbt', action: 'create_issue', enabled: false, config: {} } });
    await http(t.url, 'POST', `/api/organizations/${doomed.organizationId}/webhooks`, { key: t.key, body: { url: 'https://hooks.example.test/x', events: ['integration.connected'] } });
    await http(t.url, 'POST', `/api/organizations/${doomed.organizationId}/proxy_records`, { key: t.key, body: { domain: 'ph.doomed.com' } });

    const tables = (await t.db.query(`SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organization_id' AND table_name <> 'organizations'`)).rows.map((r) => r.table_name as string);
    const counts = async (organizationId: string) => {
      const out: Record<string, number> = {};
      for (const table of tables) out[table] = Number((await t.db.query(`SELECT count(*) AS n FROM "${table}" WHERE organization_id = $1`, [organizationId])).rows[0].n);
      return out;
    };
    const before = await counts(doomed.organizationId);
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    const othersBefore = await counts(t.organizationId);

    const path = `/api/organizations/${doomed.organizationId}`;
    const unconfirmed = await http(t.url, 'DELETE', path, { key: t.key, body: { confirm: 'doomed' } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(unconfirmed.body.message).toContain('"Doomed"');
    expect((await http(t.url, 'DELETE', path, { key: t.key })).status).toBe(400);
    expect((await http(t.url, 'DELETE', path, { key: admin.key, body: { confirm: 'Doomed' } })).status).toBe(403);
    expect((await http(t.url, 'DELETE', path, { key: t.key, body: { confirm: 'Doomed' } })).status).toBe(204);

    expect(Object.values(await counts(doomed.organizationId)).every((n) => n === 0)).toBe(true);
    expect((await t.db.query('SELECT count(*) AS n FROM organizations WHERE id = $1', [doomed.organizationId])).rows[0].n).toBe('0');
    expect((await t.db.query('SELECT count(*) AS n FROM projects WHERE id = $1', [doomed.projectId])).rows[0].n).toBe('0');
    expect((await t.db.query('SELECT count(*) AS n FROM personal_api_keys WHERE id = $1', [pinned.body.id])).rows[0].n).toBe('0');
    expect((await t.db.query('SELECT count(*) AS n FROM personal_api_keys WHERE default_organization_id = $1', [doomed.organizationId])).rows[0].n).toBe('0');
    // The admin's first key defaulted to the deleted organization: it answers 400 now, not another organization.
    expect((await http(t.url, 'GET', `${path}`, { key: admin.key })).status).toBe(404);
    expect(await counts(t.organizationId)).toEqual(othersBefore);
    expect((await http(t.url, 'GET', '/api/integrations', { key: t.key })).status).toBe(200);
  });
});
