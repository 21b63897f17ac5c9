import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

describe("pagination of the hub's own lists: ?limit & ?offset, {count, limit, offset, next, results}", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ redis: false, env: { SITE_URL: 'https://hub.example.test' } });
    for (const name of ['Two', 'Three', 'Four']) {
      expect((await http(t.url, 'POST', `/api/organizations/${t.organizationId}/projects`, { key: t.key, body: { name } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pages with an absolute next link until the last page', async () => {
    const path = `/api/organizations/${t.organizationId}/projects`;
    const first = await http(t.url, 'GET', `${path}?limit=3`, { key: t.key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 4, limit: 3, offset: 0, next: `https://hub.example.test${path}?limit=3&offset=3` });
    expect(first.body.results).toHaveLength(3);
    const next = new URL(first.body.next);
    const last = await http(t.url, 'GET', `${next.pathname}${next.search}`, { key: t.key });
    expect(last.body).toMatchObject({ count: 4, limit: 3, offset: 3, next: null });
    expect(last.body.results).toHaveLength(1);
    const ids = [...first.body.results, ...last.body.results].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('defaults to 100 and refuses more than 1000', async () => {
    const all = await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key });
    expect(all.body).toMatchObject({ limit: 100, offset: 0, next: null });
    expect(all.body.count).toBe(all.body.results.length);
    expect((await http(t.url, 'GET', '/api/organizations?limit=1000', { key: t.key })).status).toBe(200);
    const tooMany = await http(t.url, 'GET', '/api/organizations?limit=1001', { key: t.key });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe('VALIDATION_FAILED');
  });

  it('uses the same envelope on every list of the hub face', async () => {
    const org = `/api/organizations/${t.organizationId}`;
    for (const path of ['/api/organizations', `${org}/members`, `${org}/invites`, `${org}/projects`, `${org}/proxy_records`, `${org}/webhooks`, `${org}/audit-log`, '/api/personal_api_keys', '/api/policies']) {
      const res = await http(t.url, 'GET', path, { key: t.key });
      expect([path, res.status]).toEqual([path, 200]);
      expect(Object.keys(res.body).sort()).toEqual(['count', 'limit', 'next', 'offset', 'results']);
    }
  });
});
