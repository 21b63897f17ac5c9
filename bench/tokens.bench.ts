/**
 * `npm run bench:tokens`: the cached installation-token mint path of the hub (PostgreSQL + Redis, its own process,
 * GITHUB_* pointing at the fake GitHub) against a bare node:http JSON server (own process), autocannon with
 * 50 connections. Prints req/s, p50, p99 for both and the hub/bare ratio.
 */
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import { benchApiKey, benchDatabase, benchHubEnv, linkInstallation, load, printTable, startBareServer, startHubProcess } from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const db = await benchDatabase();
  const fake = await new FakeGithub({ repos: 20 }).start();
  const key = benchApiKey();
  const hub = await startHubProcess(benchHubEnv(db.url, key, { ...fake.env, OUTBOUND_ALLOW_PRIVATE: 'true' }));
  const bare = await startBareServer(
    { token: `ghs_${'x'.repeat(36)}`, expires_at: '2030-01-01T00:00:00Z', on_behalf_of: null, permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' },
    201,
  );
  try {
    const inst = fake.installation;
    await linkInstallation(db.url, inst);
    const post = { duration, method: 'POST' as const, body: '{}' };
    const baseline = await load('bare node:http JSON (POST)', `${bare.url}/`, { ...post, headers: { 'content-type': 'application/json' } });
    const minted = await load('hub POST access_tokens (cached)', `${hub.url}/api/installations/${inst.id}/access_tokens`, {
      ...post,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      cpuMicros: hub.cpuMicros,
    });
    printTable([baseline, minted]);
    const ratio = minted.requestsPerSecond / baseline.requestsPerSecond;
    console.log(`\nratio hub/bare req/s: ${ratio.toFixed(2)} (target >= 0.40); hub p99: ${minted.p99} ms (target <= 15 ms); upstream mints during the run: ${fake.mintCount()}`);
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
