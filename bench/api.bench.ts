/**
 * `npm run bench:api`: the hub on PostgreSQL (+ Redis) against a bare node:http JSON server, both in their own
 * process, loaded by autocannon with 50 connections. Prints req/s, p50, p99 and the hub/bare ratio.
 */
import { benchApiKey, benchDatabase, benchHubEnv, load, printTable, startBareServer, startHubProcess } from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const db = await benchDatabase();
  const key = benchApiKey();
  const hub = await startHubProcess(benchHubEnv(db.url, key));
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
