/**
 * `npm run bench:api`: the hub on PostgreSQL (+ Redis) against a bare node:http JSON server, both in their own
 * process, loaded by autocannon with 50 connections. Prints req/s, p50, p99, hub and bare CPU per request, the
 * hub/bare ratio against the targets and the hub's resident memory after start and after the load.
 * `BENCH_DATABASE=embedded` runs the hub on its embedded defaults (PGlite, in-process queue) instead;
 * BENCH_SOAK=60 adds a 60 s run (RSS growth).
 */
import { rmSync } from 'node:fs';
import {
  benchApiKey,
  benchDatabase,
  benchEmbeddedHubEnv,
  benchHubEnv,
  loadAlternating,
  printMemory,
  printProfileWindow,
  printTable,
  printVerdicts,
  soak,
  startBareServer,
  startHubProcess,
} from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const soakSeconds = Number(process.env.BENCH_SOAK ?? 0);
  const embedded = process.env.BENCH_DATABASE === 'embedded';
  // The embedded hub runs as `npm start` runs it (flags sized for PGlite); PostgreSQL + Redis as the image runs it.
  if (embedded) process.env.BENCH_NODE_FLAGS ??= 'npm-start';
  const key = benchApiKey();
  const db = embedded ? null : await benchDatabase();
  const env = db ? benchHubEnv(db.url, key) : benchEmbeddedHubEnv(key);
  const hub = await startHubProcess(env);
  console.log(`hub on ${embedded ? 'embedded PGlite, in-process queue' : 'PostgreSQL + Redis'}`);
  printMemory(hub, 'after start');
  const bare = await startBareServer();
  try {
    const headers = { authorization: `Bearer ${key}` };
    const [baseline, hubResult] = await loadAlternating(
      [
        { name: 'bare node:http JSON', url: `${bare.url}/`, cpuMicros: bare.cpuMicros },
        { name: 'hub GET /api/users/@me (valid key)', url: `${hub.url}/api/users/@me`, headers, cpuMicros: hub.cpuMicros },
      ],
      { duration },
    );
    printTable([baseline, hubResult]);
    printMemory(hub, 'after the load');
    printVerdicts(baseline, [hubResult]);
    printProfileWindow(hub, hubResult);
    if (soakSeconds > 0) {
      await soak('hub GET /api/users/@me', `${hub.url}/api/users/@me`, hub, soakSeconds, { headers });
      printMemory(hub, 'after the soak');
    }
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
