/**
 * `npm run bench:cluster`: the two hot paths (GET /api/users/@me and the cached mint, plain and narrowed) on two
 * hub processes with HUB_ROLE=api behind one port (Node's cluster module: the primary, this process, hands each
 * new connection to the next worker and stays out of the data path), on one PostgreSQL and one Redis, against a
 * bare node:http server run the same way (two workers). The token cache is shared through Redis: the upstream
 * mint count (from the fake GitHub) stays at one per narrowing for both processes, and a burst of mints for 100
 * installations spread over both still makes one upstream call each. Prints req/s, p99, CPU per request of the
 * two workers together, the hub/bare ratio against the targets and each worker's RSS.
 */
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import { MAIN_JS, ensureBuilt } from '../test/support/process';
import { bareServerScript, benchApiKey, benchDatabase, benchHubEnv, benchNodeFlags, ClusterProcesses, linkInstallations, loadAlternating, printTable, printVerdicts, startCluster } from './support';

const WORKERS = 2;
const BURST_INSTALLATIONS = 100;
const BURST_PER_INSTALLATION = 5;

function printClusterMemory(hub: ClusterProcesses, when: string): void {
  console.log(`hub workers' RSS ${when}: ${hub.memory().map((m) => `${m.rssMb} MB`).join(', ')}`);
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  ensureBuilt();
  const db = await benchDatabase();
  const fake = await new FakeGithub({ repos: 20, installations: BURST_INSTALLATIONS + 1 }).start();
  const key = benchApiKey();
  const hub = await startCluster(MAIN_JS, benchHubEnv(db.url, key, { ...fake.env, OUTBOUND_ALLOW_PRIVATE: 'true', HUB_ROLE: 'api' }), WORKERS, benchNodeFlags());
  printClusterMemory(hub, 'after start');
  const mintBody = { token: `ghs_${'x'.repeat(36)}`, expires_at: '2030-01-01T00:00:00Z', on_behalf_of: null, permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' };
  const bare = await startCluster(bareServerScript(mintBody, 201), {}, WORKERS);
  try {
    const [inst, ...others] = [...fake.model.installations.values()];
    await linkInstallations(db.url, [inst, ...others]);
    const headers = { authorization: `Bearer ${key}` };
    const json = { ...headers, 'content-type': 'application/json' };
    const url = `${hub.url}/api/installations/${inst.id}/access_tokens`;
    const narrowed = JSON.stringify({ repositories: [fake.model.installationRepos(inst)[0].name], permissions: { contents: 'read' } });

    // The three paths and the baseline in turn (loadAlternating): the same drift of the machine on each.
    const [baseline, me, plain, narrow] = await loadAlternating(
      [
        { name: `bare node:http JSON, ${WORKERS} workers`, url: `${bare.url}/`, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, cpuMicros: bare.cpuMicros },
        { name: `hub GET /api/users/@me, ${WORKERS} workers`, url: `${hub.url}/api/users/@me`, headers, cpuMicros: hub.cpuMicros },
        { name: `hub POST access_tokens {}, ${WORKERS} workers`, url, method: 'POST', body: '{}', headers: json, cpuMicros: hub.cpuMicros },
        { name: `hub POST access_tokens narrowed, ${WORKERS} w.`, url, method: 'POST', body: narrowed, headers: json, cpuMicros: hub.cpuMicros },
      ],
      { duration },
    );
    printClusterMemory(hub, 'after the three paths');
    printTable([baseline, me, plain, narrow]);
    printVerdicts(baseline, [me, plain, narrow]);
    console.log(`upstream mints for the cached runs, both workers: ${fake.mintCount(inst.id)} (target: 2, one per narrowing, shared through Redis)`);

    const started = performance.now();
    const statuses = await Promise.all(
      others.flatMap((i) =>
        Array.from({ length: BURST_PER_INSTALLATION }, () =>
          fetch(`${hub.url}/api/installations/${i.id}/access_tokens`, { method: 'POST', headers: json, body: '{}' }).then(async (r) => (await r.arrayBuffer(), r.status)),
        ),
      ),
    );
    const calls = others.map((i) => fake.mintCount(i.id));
    const single = calls.every((c) => c === 1);
    console.log(
      `\nburst over ${WORKERS} workers: ${statuses.length} mints for ${others.length} installations in ${(performance.now() - started).toFixed(0)} ms, ` +
        `${statuses.filter((s) => s === 201).length} answered 201; upstream mint calls: ${calls.reduce((a, b) => a + b, 0)} ` +
        `(max ${Math.max(...calls)} for one installation; single-flight across processes: ${single ? 'ok' : 'MISSED'})`,
    );
    printClusterMemory(hub, 'after the burst');
    if (!single || fake.mintCount(inst.id) !== 2) process.exitCode = 1;
  } finally {
    await bare.stop();
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
