import { randomBytes } from 'node:crypto';
import { closedPort, http } from './support/http';
import { clearRedisPrefix, createDatabase, dropDatabase, testEnv } from './support/hub-harness';
import { poll } from './support/poll';
import { HubProcess, startHubProcess } from './support/process';

/** Request log lines of a real process: who called (never the key), why an upstream call failed, and the pretty format. */
describe('request logs', () => {
  let databaseName: string;
  const prefixes: string[] = [];
  let json: HubProcess | undefined;
  let pretty: HubProcess | undefined;
  let jsonEnv: Record<string, string>;

  beforeAll(async () => {
    databaseName = await createDatabase();
    const prefix = `t${randomBytes(5).toString('hex')}`;
    prefixes.push(prefix);
    jsonEnv = testEnv(databaseName, prefix, { env: { LOG_LEVEL: 'info', HUB_ROLE: 'api' } });
    json = await startHubProcess(jsonEnv);
  });
  afterAll(async () => {
    await json?.stop('SIGKILL');
    await pretty?.stop('SIGKILL');
    if (databaseName) await dropDatabase(databaseName);
    for (const prefix of prefixes) await clearRedisPrefix(prefix);
  });

  /** The JSON `request completed` line of one request id, once the process has written it. */
  const lineOf = (p: HubProcess, requestId: string) =>
    poll(
      () =>
        p
          .output()
          .split('\n')
          .filter((l) => l.includes(requestId) && l.includes('request completed'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)[0],
      { what: `log line of ${requestId}` },
    );

  it("carries the principal's user, organization and key ids, never the key", async () => {
    const requestId = `log-${randomBytes(4).toString('hex')}`;
    const res = await http(json!.url, 'GET', '/api/integrations', { key: jsonEnv.BOOTSTRAP_API_KEY, headers: { 'x-request-id': requestId } });
    expect(res.status).toBe(200);
    const me = await http(json!.url, 'GET', '/api/users/@me', { key: jsonEnv.BOOTSTRAP_API_KEY });
    const keys = await http(json!.url, 'GET', '/api/personal_api_keys', { key: jsonEnv.BOOTSTRAP_API_KEY });
    const line = await lineOf(json!, requestId);
    expect(line).toMatchObject({
      route: '/api/integrations',
      status: 200,
      userId: me.body.id ?? me.body.uuid,
      organizationId: me.body.organizations?.[0]?.id,
      keyId: (keys.body.results ?? keys.body)[0].id,
    });
    expect(json!.output()).not.toContain(jsonEnv.BOOTSTRAP_API_KEY);
  });

  it('gives an upstream failure its code and reason on the request line', async () => {
    const requestId = `up-${randomBytes(4).toString('hex')}`;
    const res = await http(json!.url, 'POST', '/api/integrations/mantisbt/connect', {
      key: jsonEnv.BOOTSTRAP_API_KEY,
      headers: { 'x-request-id': requestId },
      body: { token: 'mantis-token-0000', url: `http://127.0.0.1:${await closedPort()}` },
    });
    expect(res.status).toBe(502);
    const line = await lineOf(json!, requestId);
    expect(line).toMatchObject({ status: 502, error: 'UPSTREAM_UNREACHABLE', reason: expect.stringContaining('Could not reach 127.0.0.1:') });
  });

  it('writes readable lines with LOG_FORMAT=pretty', async () => {
    const prefix = `t${randomBytes(5).toString('hex')}`;
    prefixes.push(prefix);
    // Same database: the second process finds it bootstrapped and migrated.
    const env = { ...testEnv(databaseName, prefix, { env: { LOG_LEVEL: 'info', HUB_ROLE: 'api', LOG_FORMAT: 'pretty' } }), BOOTSTRAP_API_KEY: jsonEnv.BOOTSTRAP_API_KEY };
    pretty = await startHubProcess(env);
    const requestId = `pretty-${randomBytes(4).toString('hex')}`;
    expect((await http(pretty.url, 'GET', '/api/healthz', { headers: { 'x-request-id': requestId } })).status).toBe(200);
    const line = await poll(() => pretty!.output().split('\n').find((l) => l.includes(requestId)), { what: 'pretty request line' });
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}request completed method=GET url=\/api\/healthz route=\/api\/healthz status=200 ms=[\d.]+ ip=127\.0\.0\.1 reqId=pretty-/);
    expect(pretty.output()).not.toMatch(/^\{"level"/m);
  });
});
