/**
 * `npm run bench:tokens`: the cached installation-token mint path of the hub (PostgreSQL + Redis, its own process,
 * GITHUB_* pointing at the fake GitHub) against a bare node:http JSON server (own process), autocannon with
 * 50 connections: the plain mint (`{}`), a narrowed one (`repositories` + `permissions`), both served from cache,
 * then a burst of mints for 100 installations never minted before (single-flight: one upstream call each, counted
 * by the fake). Prints req/s, p50, p99, hub and bare CPU per request, the hub/bare ratio against the targets and
 * the hub's RSS after start and after each part. BENCH_SOAK=60 adds a 60 s run of the plain mint (RSS growth).
 */
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import {
  benchApiKey,
  benchDatabase,
  benchHubEnv,
  linkInstallations,
  loadAlternating,
  printMemory,
  printProfileWindow,
  printTable,
  printVerdicts,
  soak,
  startBareServer,
  startHubProcess,
} from './support';

const BURST_INSTALLATIONS = 100;
/** Concurrent requests per installation in the burst: all of them must share one upstream mint. */
const BURST_PER_INSTALLATION = 5;

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const soakSeconds = Number(process.env.BENCH_SOAK ?? 0);
  const db = await benchDatabase();
  const fake = await new FakeGithub({ repos: 20, installations: BURST_INSTALLATIONS + 1 }).start();
  const key = benchApiKey();
  const hub = await startHubProcess(benchHubEnv(db.url, key, { ...fake.env, OUTBOUND_ALLOW_PRIVATE: 'true' }));
  printMemory(hub, 'after start');
  const bare = await startBareServer(
    { token: `ghs_${'x'.repeat(36)}`, expires_at: '2030-01-01T00:00:00Z', on_behalf_of: null, permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' },
    201,
  );
  try {
    const [inst, ...others] = [...fake.model.installations.values()];
    await linkInstallations(db.url, [inst, ...others]);
    const repo = fake.model.installationRepos(inst)[0].name;
    const narrowed = JSON.stringify({ repositories: [repo], permissions: { contents: 'read' } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const url = `${hub.url}/api/installations/${inst.id}/access_tokens`;
    const [baseline, plain] = await loadAlternating(
      [
        { name: 'bare node:http JSON (POST)', url: `${bare.url}/`, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, cpuMicros: bare.cpuMicros },
        { name: 'hub POST access_tokens {} (cached)', url, method: 'POST', body: '{}', headers, cpuMicros: hub.cpuMicros },
      ],
      { duration },
    );
    printMemory(hub, 'after the plain mint');
    // The narrowed answer carries GitHub's repository objects: its baseline answers the same bytes.
    const narrowedAnswer = await fetch(url, { method: 'POST', headers, body: narrowed }).then((r) => r.json());
    const bareNarrowed = await startBareServer(narrowedAnswer, 201);
    const [narrowBaseline, narrow] = await loadAlternating(
      [
        { name: 'bare node:http, the narrowed answer', url: `${bareNarrowed.url}/`, method: 'POST', body: narrowed, headers: { 'content-type': 'application/json' }, cpuMicros: bareNarrowed.cpuMicros },
        { name: 'hub POST access_tokens narrowed (cached)', url, method: 'POST', body: narrowed, headers, cpuMicros: hub.cpuMicros },
      ],
      { duration },
    );
    bareNarrowed.stop();
    printMemory(hub, 'after the narrowed mint');
    printTable([baseline, plain, narrowBaseline, narrow]);
    printVerdicts(baseline, [plain]);
    printVerdicts(narrowBaseline, [narrow]);
    printProfileWindow(hub, plain);
    printProfileWindow(hub, narrow);
    console.log(`upstream mints during the cached runs: ${fake.mintCount(inst.id)} (one per narrowing: the first request of each)`);

    // The burst: every installation asked BURST_PER_INSTALLATION times at once, none cached yet.
    const started = performance.now();
    const statuses = await Promise.all(
      others.flatMap((i) =>
        Array.from({ length: BURST_PER_INSTALLATION }, () =>
          fetch(`${hub.url}/api/installations/${i.id}/access_tokens`, { method: 'POST', headers, body: '{}' }).then(async (r) => (await r.arrayBuffer(), r.status)),
        ),
      ),
    );
    const ms = performance.now() - started;
    const calls = others.map((i) => fake.mintCount(i.id));
    const created = statuses.filter((s) => s === 201).length;
    const single = calls.every((c) => c === 1);
    console.log(
      `\nburst: ${statuses.length} mints for ${others.length} installations (${BURST_PER_INSTALLATION} at once each) in ${ms.toFixed(0)} ms, ` +
        `${created} answered 201; upstream mint calls: ${calls.reduce((a, b) => a + b, 0)} (max ${Math.max(...calls)} for one installation; ` +
        `single-flight, one each: ${single ? 'ok' : 'MISSED'})`,
    );
    printMemory(hub, 'after the burst');
    if (soakSeconds > 0) {
      await soak('hub POST access_tokens {} (cached)', url, hub, soakSeconds, { method: 'POST', body: '{}', headers });
      printMemory(hub, 'after the soak');
    }
    if (!single || created !== statuses.length) process.exitCode = 1;
  } finally {
    bare.stop();
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
