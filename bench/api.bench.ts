/**
 * `npm run bench:api`: the hub on PostgreSQL (+ Redis) against a bare node:http JSON server, both in their own
 * process, loaded by autocannon with 50 connections. Prints req/s, p50, p99, the hub/bare ratio and the hub's
 * resident memory after start and after the load. `BENCH_DATABASE=embedded` runs the hub on its embedded
 * defaults (PGlite, in-process queue) instead.
 */
import { rmSync } from 'node:fs';
import { benchApiKey, benchDatabase, benchEmbeddedHubEnv, benchHubEnv, load, printTable, startBareServer, startHubProcess } from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const embedded = process.env.BENCH_DATABASE === 'embedded';
  const key = benchApiKey();
  const db = embedded ? null : await benchDatabase();
  const env = db ? benchHubEnv(db.url, key) : benchEmbeddedHubEnv(key);
  const hub = await startHubProcess(env);
  const afterStart = hub.memory();
  const bare = await startBareServer();
  try {
    const baseline = await load('bare node:http JSON', `${bare.url}/`, { duration });
    const hubResult = await load('hub GET /api/users/@me (valid key)', `${hub.url}/api/users/@me`, {
      duration,
      headers: { authorization: `Bearer ${key}` },
      cpuMicros: hub.cpuMicros,
    });
    printTable([baseline, hubResult]);
    const afterLoad = hub.memory();
    console.log(
      `\nhub on ${embedded ? 'embedded PGlite, in-process queue' : 'PostgreSQL + Redis'}: RSS ${afterStart.rssMb} MB after start, ` +
        `${afterLoad.rssMb} MB after the load (peak ${afterLoad.peakMb} MB)`,
    );
    const ratio = hubResult.requestsPerSecond / baseline.requestsPerSecond;
    console.log(`\nratio hub/bare req/s: ${ratio.toFixed(2)} (target >= 0.40); hub p99: ${hubResult.p99} ms (target <= 15 ms)`);
    if (hubResult.non2xx > 0 || hubResult.errors > 0) console.log('WARNING: the hub answered non-2xx or errored during the run');
  } finally {
    bare.stop();
    await hub.stop();
    await db?.drop();
    if (env.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
