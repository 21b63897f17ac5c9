import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeServer, FakeServer } from './fakes/fake-server';
import { FakeGithub } from './fakes/github/fake-github.server';
import { createConnection } from './support/app-connections';
import { describeFailures, fuzzOperations, OpenApiDocument } from './support/fuzz';
import { connectInstallation } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { keyWithScopes } from './support/identity';

const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as OpenApiDocument;

/** Bounded so CI stays fast: ~2,500 requests, stopped after 75 s whatever is left. */
const REQUESTS_PER_OPERATION = Number(process.env.FUZZ_REQUESTS_PER_OPERATION ?? 30);
const TIME_BUDGET_MS = Number(process.env.FUZZ_TIME_BUDGET_MS ?? 75_000);

describe('fuzzing every operation of the contract', () => {
  let fake: FakeGithub;
  /** Every other provider on loopback, refusing every credential: the fuzzer never reaches the internet. */
  let providers: FakeServer;
  let t: TestHub;
  let key: string;
  let seeds: Record<string, string[]>;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2, installations: 1 }).start();
    providers = await startFakeServer(() => ({ status: 401, json: { message: '401 Unauthorized', ok: false, error: 'invalid_auth' } }));
    const providerEnv = Object.fromEntries(
      ['SLACK', 'GITLAB', 'JIRA', 'DISCORD', 'TEAMS'].flatMap((p) => [
        [`${p}_API_URL`, providers.url],
        [`${p}_TOKEN_URL`, `${providers.url}/oauth/token`],
        [`${p}_AUTHORIZE_URL`, `${providers.url}/oauth/authorize`],
      ]),
    );
    t = await startTestHub({ env: { ...fake.env, ...providerEnv, MANTISBT_URL: providers.url, GITHUB_REQUEST_RETRIES: '0' } });
    // Pinned to the bootstrap organization, so organizations the fuzzer creates do not make requests ambiguous.
    key = await keyWithScopes(t, ['*'], t.key, { scoped_organization_id: t.organizationId });
    const [installation] = [...fake.model.installations.values()];
    const connected = await connectInstallation(t, installation.id, installation.account.login, t.organizationId, t.projectId);
    const githubId = connected.kind === 'connected' ? connected.integration.id : '1';
    const email = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations`, { key, body: { kind: 'email', config: { domain: 'fuzz.example.test', verify_token: 'fuzz-token', dkim_tokens: ['a1', 'b2', 'c3'], region: 'us-east-1' } } });
    const connection = (await createConnection(t, fake, installation.id, {}, key)).res;
    seeds = {
      org_id: [t.organizationId],
      project_id: [t.projectId],
      integration_id: [githubId, String(email.body?.id ?? githubId)],
      id: [String(email.body?.id ?? githubId)],
      connectionId: [connection.body?.appConnection?.id].filter(Boolean),
      connectionName: [connection.body?.appConnection?.name].filter(Boolean),
      installation_id: [String(installation.id)],
      provider: ['github', 'gitlab', 'slack', 'jira', 'discord', 'teams', 'mantisbt', 'email'],
      kind: ['github', 'slack', 'gitlab', 'email'],
      projectId: [t.projectId],
      integrationId: [githubId],
    };
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await providers?.close();
    await fake?.stop();
  });

  it('answers no 5xx to schema-driven hostile input on any operation, within bounded time', async () => {
    const report = await fuzzOperations({
      baseUrl: t.url,
      document,
      key,
      seeds,
      requestsPerOperation: REQUESTS_PER_OPERATION,
      timeBudgetMs: TIME_BUDGET_MS,
      seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
      checks: [
        // Every answer, error or not, carries a request id (the error faces all rely on it).
        (_op, _req, res) => (res.headers.get('x-request-id') ? undefined : 'no X-Request-Id'),
      ],
    });
    console.log(
      `fuzz: seed ${report.seed}, ${report.requests} requests over ${report.operations} operations in ${report.elapsedMs} ms ` +
        `(2xx ${report.byClass['2xx']}, 3xx ${report.byClass['3xx']}, 4xx ${report.byClass['4xx']}, 5xx ${report.byClass['5xx']}; slowest ${report.slowestMs} ms)` +
        (report.operationsWith5xx.length ? `; 5xx on ${report.operationsWith5xx.join(', ')}` : ''),
    );
    expect(report.operations).toBe(Object.values(document.paths).reduce((n, item) => n + Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).length, 0));
    expect(report.requests).toBeGreaterThan(report.operations * 5);
    expect(report.failures.length === 0 ? '' : describeFailures(report)).toBe('');
  }, 150_000);
});
