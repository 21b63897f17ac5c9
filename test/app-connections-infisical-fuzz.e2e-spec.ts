import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { FakeGithub } from './fakes/github/fake-github.server';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

/**
 * Property: whatever body, path segment or query a client sends to the Infisical face, the answer is never a 5xx,
 * and every failure is a 4xx in Infisical's body (`{reqId, statusCode, message, error}`, a 422's message being
 * zod-shaped issues). Bodies are drawn around the request schema (valid bodies with one field replaced by any JSON
 * value, and arbitrary JSON), so they reach past the schema into the services, not only the parser.
 */
describe('app connections: Infisical face under malformed input (property-based)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let connectionId: string;
  let installationId: number;
  const statuses = new Map<number, number>();

  const call = (method: string, path: string, body?: unknown) =>
    http(t.url, method, path, { key: t.key, body, headers: { 'x-organization-id': t.organizationId } });

  const expectInfisicalAnswer = (res: HttpResult, label: string) => {
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
    if (res.status < 400) return;
    expect(res.body).toEqual({ reqId: res.headers.get('x-request-id'), statusCode: res.status, error: expect.any(String), message: expect.anything() });
    if (res.status === 422) {
      expect(Array.isArray(res.body.message) && res.body.message.length > 0).toBe(true);
      for (const issue of res.body.message) expect(issue).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), path: expect.any(Array) }));
    } else {
      expect(typeof res.body.message).toBe('string');
    }
  };

  const json = fc.jsonValue({ maxDepth: 4 });
  const credentialFields = ['code', 'installationId', 'instanceType', 'host'];
  const bodyFields = ['method', 'name', 'description', 'projectId', 'isPlatformManagedCredentials', 'gatewayId', 'credentials'];

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 1, installations: 1 }).start();
    installationId = [...fake.model.installations.values()][0].id;
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    connectionId = (await createConnection(t, fake, installationId)).res.body.appConnection.id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('create and update: valid bodies with one field replaced, and arbitrary JSON, never answer 5xx', async () => {
    const validBody = () => ({
      method: 'github-app',
      name: `fuzz-${randomUUID().slice(0, 8)}`,
      credentials: { code: fake.issueCode(fake.model.addUser(`f-${randomUUID().slice(0, 6)}`, [installationId]).id), installationId: String(installationId) },
    });
    const mutated = fc.oneof(
      fc.record({ field: fc.constantFrom(...bodyFields), value: json }).map(({ field, value }) => ({ ...validBody(), [field]: value })),
      fc.record({ field: fc.constantFrom(...credentialFields), value: json }).map(({ field, value }) => {
        const body = validBody();
        return { ...body, credentials: { ...body.credentials, [field]: value } };
      }),
      json,
    );
    await fc.assert(
      fc.asyncProperty(mutated, fc.boolean(), async (body, update) => {
        const res = update ? await call('PATCH', `${CONNECTIONS}/${connectionId}`, body) : await call('POST', CONNECTIONS, body);
        expectInfisicalAnswer(res, `${update ? 'PATCH' : 'POST'} ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: 120, interruptAfterTimeLimit: 60_000 },
    );
  });

  it('path segments and queries of every route never answer 5xx', async () => {
    const segment = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }), fc.constant(connectionId));
    await fc.assert(
      fc.asyncProperty(segment, fc.string({ maxLength: 80 }), json, async (raw, query, body) => {
        const id = encodeURIComponent(raw) || 'x';
        const q = `?projectId=${encodeURIComponent(query)}`;
        const requests: Array<[string, string, unknown?]> = [
          ['GET', `${CONNECTIONS}${q}`],
          ['GET', `${CONNECTIONS}/available${q}`],
          ['GET', `/api/v1/app-connections${q}`],
          ['GET', `${CONNECTIONS}/${id}`],
          ['GET', `${CONNECTIONS}/connection-name/${id}${q}`],
          ['POST', `${CONNECTIONS}/${id}/access-token`, body],
          ['GET', `${CONNECTIONS}/${id}/repositories`],
          ['DELETE', `${CONNECTIONS}/${randomUUID()}`],
        ];
        for (const [method, path, payload] of requests) expectInfisicalAnswer(await call(method, path, payload), `${method} ${path}`);
      }),
      { numRuns: 40, interruptAfterTimeLimit: 60_000 },
    );
    // The walk reached past the schema: some requests succeeded and some were refused.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });
});
