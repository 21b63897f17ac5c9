import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsOf, OpenApiDocument } from './support/fuzz';
import { http, HttpResult } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as OpenApiDocument;
const jsonBodyOperations = operationsOf(document).filter((op) => op.bodySchema !== undefined);

/** The error code as each face spells it. */
function errorCode(res: HttpResult): string | undefined {
  const body = res.body as Record<string, unknown>;
  if (typeof body.code === 'string') return body.code.toUpperCase();
  // Infisical `{reqId, message, error}` and GitHub `{message, documentation_url}` carry no code: the message says it.
  if (typeof body.error === 'string' && typeof body.reqId === 'string') return String(body.message);
  if (typeof body.documentation_url === 'string') return String(body.message);
  return undefined;
}

describe('input limits at the parser', () => {
  let t: TestHub;
  const pathFor = (path: string) =>
    path
      .replace('{org_id}', t.organizationId)
      .replace('{project_id}', t.projectId)
      .replace('{installation_id}', '1')
      .replace('{provider}', 'gitlab')
      .replace('{integration_id}', '386268375985926144')
      .replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000001');

  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a nesting bomb with 400 on every JSON-body operation (public ones without a key), in the face dialect', async () => {
    const bomb = '['.repeat(10_000) + ']'.repeat(10_000);
    const answers: string[] = [];
    for (const op of jsonBodyOperations) {
      if (op.operationId === 'receiveGithubWebhook') continue;
      const res = await http(t.url, op.method, pathFor(op.path), { key: op.public ? undefined : t.key, rawBody: bomb });
      answers.push(`${op.operationId} ${res.status} ${errorCode(res) ?? res.text.slice(0, 80)}`);
    }
    expect(answers.length).toBeGreaterThanOrEqual(24);
    for (const answer of answers) expect(answer).toMatch(/ 400 (BODY_TOO_COMPLEX|JSON body is nested deeper than 32 levels)$/);
  });

  it('refuses a nesting bomb before parsing it, and /api/healthz keeps answering while four clients send 960 KB bombs', async () => {
    const bomb = '['.repeat(480 * 1024) + ']'.repeat(480 * 1024);
    const single = await http(t.url, 'POST', '/api/invites/accept', { rawBody: bomb });
    expect(single.status).toBe(400);
    expect(single.body).toMatchObject({ code: 'BODY_TOO_COMPLEX' });

    let stop = false;
    const attackers = Array.from({ length: 4 }, async () => {
      let sent = 0;
      while (!stop) {
        expect((await http(t.url, 'POST', '/api/invites/accept', { rawBody: bomb })).status).toBe(400);
        sent++;
      }
      return sent;
    });
    // Speed is a benchmark's business (no timed assertion here): what must hold is that the probe is answered
    // every time while bombs arrive, and that the bombs kept being refused.
    for (let i = 0; i < 40; i++) expect((await http(t.url, 'GET', '/api/healthz')).status).toBe(200);
    stop = true;
    const sent = (await Promise.all(attackers)).reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThan(0);
  });

  it('refuses bodies with more values than any schema needs', async () => {
    const res = await http(t.url, 'POST', '/api/invites/accept', { rawBody: `[${'1,'.repeat(60_000)}1]` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BODY_TOO_COMPLEX', message: 'JSON body has more than 50000 values' });
  });

  it('still judges the key first on authenticated operations', async () => {
    const res = await http(t.url, 'POST', '/api/organizations', { rawBody: '['.repeat(10_000) });
    expect(res.status).toBe(401);
  });
});
