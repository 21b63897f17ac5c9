/**
 * `npm run bench:api`: the hub on PostgreSQL (+ Redis) against a bare node:http JSON server, both in their own
 * process, loaded by autocannon with 50 connections. Prints req/s, p50, p99 and the hub/bare ratio.
 */
import { randomBytes } from 'node:crypto';
import { KeyRing } from '../src/common/sealed-secrets';
import { benchDatabase, load, printTable, startBareServer, startHubProcess } from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const db = await benchDatabase();
  const key = `ihk_${randomBytes(32).toString('base64url')}`;
  const hub = await startHubProcess({
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEYS: KeyRing.generateSpec('bench'),
    BOOTSTRAP_API_KEY: key,
  });
  const bare = await startBareServer();
  try {
    const baseline = await load('bare node:http JSON', `${bare.url}/`, { duration });
    const hubResult = await load('hub GET /api/users/@me (valid key)', `${hub.url}/api/users/@me`, {
      duration,
      headers: { authorization: `Bearer ${key}` },
      cpuMicros: hub.cpuMicros,
    });
    printTable([baseline, hubResult]);
    const ratio = hubResult.requestsPerSecond / baseline.requestsPerSecond;
    console.log(`\nratio hub/bare req/s: ${ratio.toFixed(2)} (target >= 0.40); hub p99: ${hubResult.p99} ms (target <= 15 ms)`);
    if (hubResult.non2xx > 0 || hubResult.errors > 0) console.log('WARNING: the hub answered non-2xx or errored during the run');
  } finally {
    bare.stop();
    await hub.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
