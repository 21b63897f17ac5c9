import { Agent, request } from 'node:http';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';
import { poll } from './support/poll';

describe('Identity API', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  describe('authentication', () => {
    it('accepts the bootstrap key and describes the caller', async () => {
      const res = await http(t.url, 'GET', '/api/users/@me', { key: t.key });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: 'owner@example.test', scopes: ['*'], scoped_organization_id: null });
      // Other tests add organizations to the same owner; the bootstrap one is always there.
      expect(res.body.organizations).toContainEqual({ id: t.organizationId, name: 'Default organization', role: 'owner' });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers every kind of bad key with the same 401 body', async () => {
      const revoked = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'to revoke', scopes: ['organization:read'] } });
      expect(revoked.status).toBe(201);
      const revokedKey = revoked.body.value as string;
      expect((await http(t.url, 'DELETE', `/api/personal_api_keys/${revoked.body.id}`, { key: t.key })).status).toBe(204);
      const expiring = await http(t.url, 'POST', '/api/personal_api_keys', {
        key: t.key,
        body: { label: 'short', scopes: ['organization:read'], expires_at: new Date(Date.now() + 1000).toISOString() },
      });
      expect(expiring.status).toBe(201);
      // Poll with it until it has expired (a second from now); then it is one more bad key below.
      await poll(async () => (await http(t.url, 'GET', '/api/organizations', { key: expiring.body.value })).status === 401, { what: 'the short-lived key expires', intervalMs: 100 });

      const cases: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer' },
        { authorization: 'Basic dXNlcjpwYXNz' },
        { authorization: `Bearer ihk_${'x'.repeat(43)}` },
        { authorization: `Bearer ${revokedKey}` },
        { authorization: `Bearer ${expiring.body.value}` },
      ];
      const bodies = new Set<string>();
      for (const headers of cases) {
        const res = await http(t.url, 'GET', '/api/organizations', { headers: { ...headers, 'x-request-id': 'fixed-id' } });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        bodies.add(res.text);
      }
      expect([...bodies]).toEqual(['{"statusCode":401,"code":"UNAUTHENTICATED","message":"Invalid or missing API key","requestId":"fixed-id"}']);
    });

    it('tells apart keys interleaved on one keep-alive connection (a proxy sharing it), and a key revoked on it', async () => {
      const other = await addUser(t, 'member');
      const created = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'on one connection', scopes: ['organization:read'] } });
      expect(created.status).toBe(201);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const sockets = new Set<unknown>();
      const me = (authorization: string) =>
        new Promise<{ status: number; email?: string }>((resolve, reject) => {
          const req = request(`${t.url}/api/users/@me`, { agent, headers: { authorization } }, (res) => {
            sockets.add(res.socket);
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, email: res.statusCode === 200 ? JSON.parse(text).email : undefined }));
          });
          req.on('error', reject).end();
        });
      try {
        const sequence = [t.key, other.key, other.key, t.key, `${t.key.slice(0, -1)}${t.key.endsWith('A') ? 'B' : 'A'}`, t.key, created.body.value as string];
        const answers = [];
        for (const key of sequence) answers.push(await me(`Bearer ${key}`));
        expect(answers).toEqual([
          { status: 200, email: 'owner@example.test' },
          { status: 200, email: other.email },
          { status: 200, email: other.email },
          { status: 200, email: 'owner@example.test' },
          { status: 401 },
          { status: 200, email: 'owner@example.test' },
          { status: 200, email: 'owner@example.test' },
        ]);
        expect((await http(t.url, 'DELETE', `/api/personal_api_keys/${created.body.id}`, { key: t.key })).status).toBe(204);
        expect(await me(`Bearer ${created.body.value}`)).toEqual({ status: 401 });
        // Every request went over the same connection.
        expect(sockets.size).toBe(1);
      } finally {
        agent.destroy();
      }
    });

    it('never takes a key from the query string', async () => {
      const res = await http(t.url, 'GET', `/api/users/@me?api_key=${t.key}&token=${t.key}`);
      expect(res.status).toBe(401);
    });

    it('names the missing scope in a 403', async () => {
      const key = await keyWithScopes(t, ['integration:read']);
      const res = await http(t.url, 'GET', '/api/organizations', { key });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'MISSING_SCOPE', message: "API key missing required scope 'organization:read'" });
    });

    it('lets :write imply :read', async () => {
      const key = await keyWithScopes(t, ['organization:write']);
      expect((await http(t.url, 'GET', '/api/organizations', { key })).status).toBe(200);
    });

    it('checks the key before the body: malformed JSON without a key is 401, with a key 400', async () => {
      const noKey = await http(t.url, 'POST', '/api/organizations', { rawBody: '{"name":' });
      expect(noKey.status).toBe(401);
      const withKey = await http(t.url, 'POST', '/api/organizations', { key: t.key, rawBody: '{"name":' });
      expect(withKey.status).toBe(400);
      expect(withKey.body.code).toBe('MALFORMED_JSON');
      expect(withKey.body.message).toMatch(/^Malformed JSON body/);
    });

    it('refuses a body with a one-character key written as an escape (V8 would misname it) with 400, creating nothing', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM organizations`)).rows[0].n as number;
      // Python's json.dumps writes {"é": 1} so; Node 24.21's JSON.parse can give the key another name.
      const res = await http(t.url, 'POST', '/api/organizations', { key: t.key, rawBody: '{"name":"escaped key","\\u00e9":1}' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'MALFORMED_JSON' });
      expect(res.body.message).toContain('object key of one character written as an escape');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM organizations`)).rows[0].n).toBe(before);
      const longer = await http(t.url, 'POST', '/api/organizations', { key: t.key, rawBody: '{"name":"\\u00e9t\\u00e9"}' });
      expect(longer.status).toBe(201);
      expect(longer.body.name).toBe('été');
    });

    it('rejects unknown fields and wrong types with field details, and oversized bodies with 413', async () => {
      const unknown = await http(t.url, 'POST', '/api/organizations', { key: t.key, body: { name: 'x', plan: 'gold' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'plan', errors: ['property plan should not exist'] }] });
      const wrongType = await http(t.url, 'POST', '/api/organizations', { key: t.key, body: { name: 42 } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.details[0].field).toBe('name');
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM organizations`)).rows[0].n as number;
      const huge = await http(t.url, 'POST', '/api/organizations', { key: t.key, rawBody: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }) });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
      const orgs = await t.db.query(`SELECT count(*)::int AS n FROM organizations`);
      expect(orgs.rows[0].n).toBe(before);
    });

    it('accepts a trailing slash and echoes a caller-supplied request id', async () => {
      const res = await http(t.url, 'GET', '/api/users/@me/', { key: t.key, headers: { 'x-request-id': 'trace-123' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('trace-123');
    });
  });

  describe('personal API keys', () => {
    it('shows the value once, stores only its hash, and lists masks', async () => {
      const created = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'broker', scopes: ['integration:read'] } });
      expect(created.status).toBe(201);
      expect(created.body.value).toMatch(/^ihk_[A-Za-z0-9_-]{43}$/);
      expect(created.body.mask_value).toBe(`ihk_...${created.body.value.slice(-4)}`);
      const row = await t.db.query(`SELECT secure_value FROM personal_api_keys WHERE id = $1`, [created.body.id]);
      expect(row.rows[0].secure_value).toHaveLength(64);
      expect(row.rows[0].secure_value).not.toContain(created.body.value.slice(4, 20));
      const list = await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key });
      const listed = list.body.results.find((k: { id: string }) => k.id === created.body.id);
      expect(listed).toMatchObject({ label: 'broker', scopes: ['integration:read'] });
      expect(listed.value).toBeUndefined();
      expect(list.text).not.toContain(created.body.value);
    });

    it('never mints a key broader than the calling key', async () => {
      const narrow = await keyWithScopes(t, ['personal_api_key:write', 'integration:read']);
      const broader = await http(t.url, 'POST', '/api/personal_api_keys', { key: narrow, body: { label: 'x', scopes: ['integration:write'] } });
      expect(broader.status).toBe(403);
      expect(broader.body.message).toBe("Cannot grant scope 'integration:write': the calling key does not hold it");
      const star = await http(t.url, 'POST', '/api/personal_api_keys', { key: narrow, body: { label: 'x', scopes: ['*'] } });
      expect(star.status).toBe(403);
      const same = await http(t.url, 'POST', '/api/personal_api_keys', { key: narrow, body: { label: 'x', scopes: ['integration:read'] } });
      expect(same.status).toBe(201);
    });

    it("never mints a key beyond the user's role", async () => {
      const member = await addUser(t, 'member');
      expect((await http(t.url, 'GET', '/api/users/@me', { key: member.key })).body.scopes).not.toContain('organization:write');
      const res = await http(t.url, 'POST', '/api/personal_api_keys', { key: member.key, body: { label: 'x', scopes: ['organization:write'] } });
      expect(res.status).toBe(403);
    });

    it('rolls a key: the old value stops working at once, the new one works', async () => {
      const created = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'roll me', scopes: ['organization:read'] } });
      expect((await http(t.url, 'GET', '/api/organizations', { key: created.body.value })).status).toBe(200);
      const rolled = await http(t.url, 'POST', `/api/personal_api_keys/${created.body.id}/roll`, { key: t.key });
      expect(rolled.status).toBe(200);
      expect(rolled.body.id).toBe(created.body.id);
      expect(rolled.body.value).not.toBe(created.body.value);
      expect((await http(t.url, 'GET', '/api/organizations', { key: created.body.value })).status).toBe(401);
      expect((await http(t.url, 'GET', '/api/organizations', { key: rolled.body.value })).status).toBe(200);
    });

    it('records last use', async () => {
      const created = await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label: 'used once', scopes: ['organization:read'] } });
      await http(t.url, 'GET', '/api/organizations', { key: created.body.value });
      // The hub records last use after answering: wait for this key's row to show it.
      await poll(async () => (await t.db.query(`SELECT last_used_at FROM personal_api_keys WHERE id = $1 AND last_used_at IS NOT NULL`, [created.body.id])).rowCount, { what: 'last_used_at recorded' });
    });
  });

  describe('organizations, members and invites', () => {
    it('creates organizations owned by the caller, with a default project', async () => {
      const { organizationId, projectId } = await addOrganization(t, 'Acme');
      const org = await http(t.url, 'GET', `/api/organizations/${organizationId}`, { key: t.key });
      expect(org.body).toMatchObject({ id: organizationId, name: 'Acme', membership_role: 'owner' });
      const project = await http(t.url, 'GET', `/api/projects/${projectId}`, { key: t.key });
      expect(project.body).toMatchObject({ id: projectId, organization_id: organizationId, name: 'Default project' });
    });

    it('resolves the organization from X-Organization-Id when the user has several', async () => {
      const { organizationId } = await addOrganization(t, 'Second');
      const missing = await http(t.url, 'GET', '/api/users/@me', { key: t.key });
      expect(missing.status).toBe(200); // the caller's own user is not organization-scoped
      const member = await addUser(t, 'member');
      const other = await addOrganization(t, 'Third');
      // A member of one organization needs no header.
      expect((await http(t.url, 'GET', '/api/users/@me', { key: member.key })).body.organizations).toHaveLength(1);
      expect(organizationId).not.toBe(other.organizationId);
    });

    // UsersService.me reuses one body per cached principal while the organizations' cached names hold: a rename,
    // a new organization or a deleted one on this replica shows in the very next answer.
    it('answers @me from its reused body only while it is still true', async () => {
      const user = await addUser(t, 'member');
      const me = async () => (await http(t.url, 'GET', '/api/users/@me', { key: user.key })).body as { organizations: Array<{ id: string; name: string; role: string }> };
      const first = await me();
      expect(first.organizations).toEqual([{ id: t.organizationId, name: 'Default organization', role: 'member' }]);
      expect(await me()).toEqual(first);

      const { organizationId } = await addOrganization(t, 'Memo before');
      await t.db.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'member')`, [organizationId, user.userId]);
      // A role change through the API drops the user's cached principal on this replica (and so the reused body).
      expect((await http(t.url, 'PATCH', `/api/organizations/${organizationId}/members/${user.userId}`, { key: t.key, body: { role: 'admin' } })).status).toBe(200);
      expect((await me()).organizations).toContainEqual({ id: organizationId, name: 'Memo before', role: 'admin' });

      expect((await http(t.url, 'PATCH', `/api/organizations/${organizationId}`, { key: t.key, body: { name: 'Memo after' } })).status).toBe(200);
      expect((await me()).organizations).toContainEqual({ id: organizationId, name: 'Memo after', role: 'admin' });

      expect((await http(t.url, 'DELETE', `/api/organizations/${organizationId}`, { key: t.key, body: { confirm: 'Memo after' } })).status).toBe(204);
      expect((await me()).organizations.map((o) => o.id)).toEqual([t.organizationId]);
    });

    it('invites: token works once, expires, and the accepted user gets a key with their role', async () => {
      const invite = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, {
        key: t.key,
        body: { email: 'New.Admin@Example.test', role: 'admin' },
      });
      expect(invite.status).toBe(201);
      expect(invite.body).toMatchObject({ email: 'new.admin@example.test', role: 'admin' });
      expect(new Date(invite.body.expires_at).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
      const listed = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/invites`, { key: t.key });
      expect(listed.text).not.toContain(invite.body.token);

      const accepted = await http(t.url, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'New Admin' } });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        user: { email: 'new.admin@example.test', name: 'New Admin' },
        organization: { id: t.organizationId, membership_role: 'admin' },
        personal_api_key: { label: 'First key' },
      });
      expect(accepted.body.personal_api_key.scopes).toContain('organization:write');
      const me = await http(t.url, 'GET', '/api/users/@me', { key: accepted.body.personal_api_key.value });
      expect(me.body.organizations).toEqual([{ id: t.organizationId, name: 'Default organization', role: 'admin' }]);

      const replay = await http(t.url, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'Again' } });
      expect(replay.status).toBe(400);
      expect(replay.body.code).toBe('INVITE_INVALID');

      const stale = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: t.key, body: { email: 'late@example.test', role: 'member' } });
      await t.db.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [stale.body.id]);
      expect((await http(t.url, 'POST', '/api/invites/accept', { body: { token: stale.body.token, name: 'Late' } })).status).toBe(400);
    });

    it('members cannot invite; admins cannot invite owners', async () => {
      const member = await addUser(t, 'member');
      const byMember = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: member.key, body: { email: 'a@example.test', role: 'member' } });
      expect(byMember.status).toBe(403);
      const admin = await addUser(t, 'admin');
      const ownerInvite = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: admin.key, body: { email: 'b@example.test', role: 'owner' } });
      expect(ownerInvite.status).toBe(403);
      expect(ownerInvite.body.code).toBe('OWNER_REQUIRED');
    });

    it('protects the last owner and lets only owners touch the owner role', async () => {
      const { organizationId } = await addOrganization(t, 'Owners');
      const admin = await addUser(t, 'admin', organizationId);
      const me = await http(t.url, 'GET', '/api/users/@me', { key: t.key });
      const demoteSelf = await http(t.url, 'PATCH', `/api/organizations/${organizationId}/members/${me.body.id}`, { key: t.key, body: { role: 'admin' } });
      expect(demoteSelf.status).toBe(400);
      expect(demoteSelf.body.code).toBe('LAST_OWNER');
      const removeSelf = await http(t.url, 'DELETE', `/api/organizations/${organizationId}/members/${me.body.id}`, { key: t.key });
      expect(removeSelf.status).toBe(400);

      const adminKey = (await http(t.url, 'GET', '/api/users/@me', { key: admin.key })).body;
      expect(adminKey.organizations[0].role).toBe('admin');
      const adminPromotes = await http(t.url, 'PATCH', `/api/organizations/${organizationId}/members/${admin.userId}`, {
        key: admin.key,
        headers: { 'x-organization-id': organizationId },
        body: { role: 'owner' },
      });
      expect(adminPromotes.status).toBe(403);
      const ownerPromotes = await http(t.url, 'PATCH', `/api/organizations/${organizationId}/members/${admin.userId}`, { key: t.key, body: { role: 'owner' } });
      expect(ownerPromotes.status).toBe(200);
      expect(ownerPromotes.body.role).toBe('owner');
      // Now there are two owners: the first may step down.
      expect((await http(t.url, 'PATCH', `/api/organizations/${organizationId}/members/${me.body.id}`, { key: t.key, body: { role: 'admin' } })).status).toBe(200);
      const members = await http(t.url, 'GET', `/api/organizations/${organizationId}/members`, { key: admin.key });
      expect(members.body.results.map((m: { role: string }) => m.role).sort()).toEqual(['admin', 'owner']);
    });
  });

  describe('organization boundaries', () => {
    it('answers 404 for another organization and its projects, not 403', async () => {
      const outsiderOrg = await addOrganization(t, 'Outsider');
      const member = await addUser(t, 'member');
      const orgRes = await http(t.url, 'GET', `/api/organizations/${outsiderOrg.organizationId}`, { key: member.key });
      expect(orgRes.status).toBe(404);
      const projRes = await http(t.url, 'GET', `/api/projects/${outsiderOrg.projectId}`, { key: member.key });
      expect(projRes.status).toBe(404);
      expect(projRes.body.code).toBe('PROJECT_NOT_FOUND');
      const unknown = await http(t.url, 'GET', '/api/projects/00000000-0000-4000-8000-000000000000', { key: member.key });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ ...projRes.body, requestId: unknown.body.requestId });
    });

    it('a pinned key sees only its organization', async () => {
      const other = await addOrganization(t, 'Pinned elsewhere');
      const pinned = await keyWithScopes(t, ['organization:read', 'project:read'], t.key, { scoped_organization_id: t.organizationId });
      expect((await http(t.url, 'GET', `/api/organizations/${other.organizationId}`, { key: pinned })).status).toBe(404);
      expect((await http(t.url, 'GET', `/api/projects/${other.projectId}`, { key: pinned })).status).toBe(404);
      const list = await http(t.url, 'GET', '/api/organizations', { key: pinned });
      expect(list.body.results.map((o: { id: string }) => o.id)).toEqual([t.organizationId]);
    });

    it('members read projects but only admins change them', async () => {
      const member = await addUser(t, 'member');
      expect((await http(t.url, 'GET', `/api/projects/${t.projectId}`, { key: member.key })).status).toBe(200);
      const patch = await http(t.url, 'PATCH', `/api/projects/${t.projectId}`, { key: member.key, body: { name: 'hijacked' } });
      expect(patch.status).toBe(403);
      expect(patch.body.code).toBe('MISSING_SCOPE');
      const created = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/projects`, { key: t.key, body: { name: 'Mobile' } });
      expect(created.status).toBe(201);
      const renamed = await http(t.url, 'PATCH', `/api/projects/${created.body.id}`, { key: t.key, body: { name: 'Mobile app' } });
      expect(renamed.body.name).toBe('Mobile app');
      expect((await http(t.url, 'DELETE', `/api/projects/${created.body.id}`, { key: t.key })).status).toBe(204);
      expect((await http(t.url, 'GET', `/api/projects/${created.body.id}`, { key: t.key })).status).toBe(404);
    });
  });
});
