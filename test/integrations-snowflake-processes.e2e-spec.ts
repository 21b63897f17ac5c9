import type { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { snowflakeTimestamp } from '../src/common/snowflake';
import { http } from './support/http';
import { clearRedisPrefix, createDatabase, dropDatabase, TEST_REDIS_URL, testEnv, testPool } from './support/hub-harness';
import { HubProcess, startHubProcess } from './support/process';

const PER_PROCESS = 15;

/** Bits 12–21 of a snowflake: the worker id its process leased. */
const workerIdOf = (id: string) => Number((BigInt(id) >> 12n) & 0x3ffn);

/** Two `node dist/src/main.js` processes on one PostgreSQL database and one Redis prefix create integrations at once. */
describe('snowflake ids across two hub processes', () => {
  let databaseName: string;
  let env: Record<string, string>;
  let db: Pool;
  let redis: Redis;
  const processes: HubProcess[] = [];

  beforeAll(async () => {
    databaseName = await createDatabase();
    // One key ring and one bootstrap key for both: they are replicas of one hub.
    env = testEnv(databaseName, `tsp${randomBytes(5).toString('hex')}`, { env: { LOG_LEVEL: 'info' } });
    db = testPool(env.DATABASE_URL, 2);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const p of processes) await p.stop();
    redis?.disconnect();
    await db?.end();
    if (databaseName) await dropDatabase(databaseName);
    if (env) await clearRedisPrefix(env.QUEUE_PREFIX);
  });

  it('gives every integration a distinct decimal id carrying its process\'s own worker id', async () => {
    // The first process bootstraps the empty database; the second finds it bootstrapped.
    processes.push(await startHubProcess(env));
    processes.push(await startHubProcess(env));
    const [a, b] = processes;
    const projectId = (await db.query('SELECT id FROM projects LIMIT 1')).rows[0].id as string;
    const startedAt = Date.now();

    const create = (hub: HubProcess, n: number) =>
      http(hub.url, 'POST', `/api/projects/${projectId}/integrations/`, {
        key: env.BOOTSTRAP_API_KEY,
        body: { kind: 'email', config: { domain: `mail${n}.example.com`, verify_token: 'abc123TOKEN=', dkim_tokens: ['dk1', 'dk2', 'dk3'], region: 'us-east-1' } },
      });
    const results = await Promise.all(Array.from({ length: PER_PROCESS * 2 }, (_, n) => create(n % 2 === 0 ? a : b, n).then((res) => ({ res, hub: n % 2 === 0 ? a : b }))));

    for (const { res } of results) expect(res.status).toBe(201);
    const ids = results.map(({ res }) => res.body.id as string);
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d{0,18}$/);
      expect(BigInt(id) < 2n ** 63n).toBe(true);
      expect(snowflakeTimestamp(id).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    }
    expect(new Set(ids).size).toBe(ids.length);

    const workersOf = (hub: HubProcess) => new Set(results.filter((r) => r.hub === hub).map(({ res }) => workerIdOf(res.body.id)));
    const [workerA] = [...workersOf(a)];
    const [workerB] = [...workersOf(b)];
    expect(workersOf(a).size).toBe(1);
    expect(workersOf(b).size).toBe(1);
    expect(workerA).not.toBe(workerB);
    // Each worker id is the lease its own process holds in the shared Redis.
    expect(await redis.get(`${env.QUEUE_PREFIX}:snowflake:worker:${workerA}`)).toMatch(new RegExp(`^${a.child.pid}:`));
    expect(await redis.get(`${env.QUEUE_PREFIX}:snowflake:worker:${workerB}`)).toMatch(new RegExp(`^${b.child.pid}:`));

    const rows = await db.query(`SELECT id::text AS id FROM integrations WHERE provider = 'email' ORDER BY id`);
    expect(rows.rows.map((r: { id: string }) => r.id)).toEqual([...ids].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)));
  });
});
