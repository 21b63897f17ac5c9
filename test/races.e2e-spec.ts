import { FakeGithub } from './fakes/github/fake-github.server';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { keyWithScopes } from './support/identity';

const count = (results: HttpResult[], status: number) => results.filter((r) => r.status === status).length;

/** Parallel writers of one object: atomic updates, and unique violations mapped to the right answer. */
describe('races', () => {
  let fake: FakeGithub;
  let t: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 1 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('of 30 parallel rolls of one key by itself exactly one wins, and the value it returns is the one that works', async () => {
    const key = await keyWithScopes(t, ['personal_api_key:write']);
    const id = (await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key })).body.results.find((k: { label: string }) => k.label === 'scoped personal_api_key:write').id as string;
    const rolls = await Promise.all(Array.from({ length: 30 }, () => http(t.url, 'POST', `/api/personal_api_keys/${id}/roll`, { key })));
    expect(count(rolls, 200)).toBe(1);
    // The losers answer 409, or 401 when they arrive after the winner replaced the key they present.
    expect(count(rolls, 409) + count(rolls, 401)).toBe(29);
    const winner = rolls.find((r) => r.status === 200)!.body.value as string;
    expect((await http(t.url, 'GET', '/api/personal_api_keys', { key: winner })).status).toBe(200);
    expect((await http(t.url, 'GET', '/api/personal_api_keys', { key })).status).toBe(401);
  });

  it('parallel rolls of another key never hand out a value that does not work when answered', async () => {
    await keyWithScopes(t, ['personal_api_key:read']);
    const id = (await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key })).body.results.find((k: { label: string }) => k.label === 'scoped personal_api_key:read').id as string;
    const rolls = await Promise.all(Array.from({ length: 30 }, () => http(t.url, 'POST', `/api/personal_api_keys/${id}/roll`, { key: t.key })));
    expect(count(rolls, 200) + count(rolls, 409)).toBe(30);
    const conflict = rolls.find((r) => r.status === 409);
    if (conflict) expect(conflict.body).toMatchObject({ code: 'PERSONAL_API_KEY_CONFLICT' });
    // Each successful roll replaced a different value: as many distinct masks as winners, and the key holds the last.
    const values = rolls.filter((r) => r.status === 200).map((r) => r.body.value as string);
    expect(new Set(values).size).toBe(values.length);
    const working = await Promise.all(values.map(async (v) => (await http(t.url, 'GET', '/api/personal_api_keys', { key: v })).status));
    expect(working.filter((s) => s === 200)).toHaveLength(1);
  });

  describe('app connection updates', () => {
    let connectionId: string;
    const patch = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      http(t.url, 'PATCH', `${CONNECTIONS}/${connectionId}`, { key: t.key, body, headers: { 'x-organization-id': t.organizationId, ...headers } });
    const version = async () => (await t.db.query('SELECT version FROM app_connections WHERE id = $1', [connectionId])).rows[0].version as number;

    beforeAll(async () => {
      const { res } = await createConnection(t, fake, fake.installation.id);
      expect(res.status).toBe(200);
      connectionId = res.body.appConnection.id;
    });

    it('50 parallel PATCHes lose no increment: every one either bumps the version or answers 409', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => patch({ description: `writer ${i}` })));
      expect(count(results, 200) + count(results, 409)).toBe(50);
      expect(count(results, 200)).toBeGreaterThanOrEqual(1);
      expect(await version()).toBe(1 + count(results, 200));
      const conflict = results.find((r) => r.status === 409);
      if (conflict) {
        expect(conflict.body).toEqual({ reqId: conflict.headers.get('x-request-id'), statusCode: 409, message: expect.stringMatching(/modified concurrently/), error: 'Conflict' });
      }
    });

    it('applies a PATCH only at the version the client pins (If-Match or version), else 409', async () => {
      const current = await version();
      const stale = await patch({ description: 'stale' }, { 'if-match': `"${current - 1}"` });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      const staleBody = await patch({ description: 'stale', version: current - 1 });
      expect(staleBody.status).toBe(409);
      expect(await version()).toBe(current);
      const ok = await patch({ description: 'pinned' }, { 'if-match': `"${current}"` });
      expect(ok.status).toBe(200);
      expect(ok.body.appConnection).toMatchObject({ version: current + 1, description: 'pinned' });
      const okBody = await patch({ description: 'pinned again', version: current + 1 });
      expect(okBody.status).toBe(200);
      expect(okBody.body.appConnection.version).toBe(current + 2);
      const malformed = await patch({ description: 'x' }, { 'if-match': 'yesterday' });
      expect(malformed.status).toBe(422);
      expect(malformed.body).toMatchObject({ error: 'ValidationFailure' });
    });
  });

  it('50 parallel connects of one email domain all succeed on one row', async () => {
    const config = { domain: 'race.example.test', verify_token: 'race-token', dkim_tokens: ['r1', 'r2', 'r3'], region: 'us-east-1' };
    const results = await Promise.all(Array.from({ length: 50 }, () => http(t.url, 'POST', `/api/projects/${t.projectId}/integrations`, { key: t.key, body: { kind: 'email', config } })));
    expect(results.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM integrations WHERE provider = 'email' AND project_id = $1`, [t.projectId]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('50 parallel creates of one proxy record: one 201, the rest 409', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => http(t.url, 'POST', `/api/organizations/${t.organizationId}/proxy_records`, { key: t.key, body: { domain: 'ph.race.example.com' } })));
    expect(count(results, 201)).toBe(1);
    expect(count(results, 409)).toBe(49);
  });
});
