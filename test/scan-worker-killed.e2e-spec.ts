import type { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { FakeGithub } from './fakes/github/fake-github.server';
import { waitFor } from './support/github';
import { http } from './support/http';
import { clearRedisPrefix, createDatabase, dropDatabase, testEnv, testPool } from './support/hub-harness';
import { HubProcess, startHubProcess } from './support/process';

const REPOS = 1500;

/** An API process and two workers on one PostgreSQL and Redis: the first worker is SIGKILLed mid-scan. */
describe('scan survives a worker killed mid-scan', () => {
  let fake: FakeGithub;
  let databaseName: string;
  let env: Record<string, string>;
  let db: Pool;
  const processes: HubProcess[] = [];

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: REPOS, latencyMs: 60 }).start();
    databaseName = await createDatabase();
    env = testEnv(databaseName, `t${randomBytes(5).toString('hex')}`, {
      env: { ...fake.env, LOG_LEVEL: 'info', SCAN_LEASE_SECONDS: '2', SCAN_WATCHDOG_INTERVAL_MS: '300', SCAN_MAX_REQUESTS_PER_SECOND: '50', GITHUB_REQUEST_RETRIES: '0' },
    });
    db = testPool(env.DATABASE_URL, 2);
  });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await db?.end();
    await fake?.stop();
    if (databaseName) await dropDatabase(databaseName);
    if (env) await clearRedisPrefix(env.QUEUE_PREFIX);
  });

  it('another worker resumes from the checkpoint and no repository is scanned twice', async () => {
    const api = await startHubProcess({ ...env, HUB_ROLE: 'api' });
    processes.push(api);
    const org = (await db.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    const inst = fake.installation;
    await db.query(`INSERT INTO github_installations (installation_id, organization_id, account_login, account_id, account_type, repository_selection) VALUES ($1, $2, $3, $4, 'Organization', 'all')`, [inst.id, org, inst.account.login, inst.account.id]);
    const workerA = await startHubProcess({ ...env, HUB_ROLE: 'worker', PORT: '0' });
    processes.push(workerA);
    const headers = { 'x-organization-id': org };
    const started = await http(api.url, 'POST', '/api/integrations/github/scan-org', { key: env.BOOTSTRAP_API_KEY, headers });
    expect(started.status).toBe(202);
    const scanId = started.body.scanId as string;
    await waitFor(async () => (await db.query('SELECT repos_scanned FROM github_scans WHERE id = $1', [scanId])).rows[0].repos_scanned >= 300, 30_000);
    await workerA.stop('SIGKILL');
    const graphqlAtKill = fake.stats.byRoute['POST /graphql'];
    const scannedAtKill = (await db.query('SELECT repos_scanned FROM github_scans WHERE id = $1', [scanId])).rows[0].repos_scanned as number;
    expect(scannedAtKill).toBeLessThan(REPOS);
    const workerB = await startHubProcess({ ...env, HUB_ROLE: 'worker', PORT: '0' });
    processes.push(workerB);
    const done = await waitFor(async () => {
      const p = await http(api.url, 'GET', '/api/integrations/github/scan-progress', { key: env.BOOTSTRAP_API_KEY, headers });
      return p.body.status === 'completed' ? p.body : null;
    }, 60_000);
    expect(done).toMatchObject({ scanId, reposScanned: REPOS, reposTotal: REPOS, progress: 100 });
    // Repositories (the organization's own row, id < 0, apart).
    const rows = await db.query('SELECT count(*)::int AS n, count(DISTINCT repository_id)::int AS d FROM github_scan_results WHERE scan_id = $1 AND repository_id > 0', [scanId]);
    expect(rows.rows[0]).toEqual({ n: REPOS, d: REPOS });
    // Resumed, not restarted: worker B read only the pages after the checkpoint (plus at most the one in flight).
    const pagesAfterKill = fake.stats.byRoute['POST /graphql'] - graphqlAtKill;
    expect(pagesAfterKill).toBeLessThanOrEqual(Math.ceil((REPOS - scannedAtKill) / 100) + 1);
    expect(fake.stats.byRoute['POST /graphql']).toBeLessThanOrEqual(REPOS / 100 + 2);
  });
});
