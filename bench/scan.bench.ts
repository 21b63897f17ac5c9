/**
 * `npm run bench:scan -- --repos 10000 [--latency-ms 20] [--webhooks]`: the built hub (its own process, PostgreSQL + Redis) scans
 * an organization on the fake GitHub (this process, 20 ms latency per request). Prints repositories/second and
 * GitHub requests per repository for a first scan and for a rescan of the unchanged organization, with the cost in
 * GitHub's terms (GraphQL points, REST calls, 304s) as the hub read it from GitHub's answers. The organization's
 * settings, Actions defaults, owners and secret scanning coverage are read too; `--webhooks` also grants Webhooks: read,
 * which adds one request per repository (up to SCAN_WEBHOOK_REPOS_MAX), reported apart as the per-repository pass.
 */
import type { FakeRepo, TeamPermission } from '../test/fakes/github/fake-github.model';
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import { benchApiKey, benchDatabase, benchHubEnv, linkInstallation, startHubProcess } from './support';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function main(): Promise<void> {
  const repos = arg('repos', 10_000);
  const fake = await new FakeGithub({ repos, latencyMs: arg('latency-ms', 20) }).start();
  // Organization-wide reads too: admin teams (one team per 100 repositories, plus one across all) and secret scanning.
  const inst = fake.installation;
  inst.permissions = { ...inst.permissions, members: 'read', secret_scanning_alerts: 'read', vulnerability_alerts: 'read', organization_administration: 'read' };
  if (process.argv.includes('--webhooks')) inst.permissions.repository_hooks = 'read';
  inst.account.owners = ['owner-1', 'owner-2', 'owner-3'];
  const all = fake.model.installationRepos(inst);
  for (let i = 0; i < all.length; i += 100) fake.model.addTeam(inst.account, `team-${i / 100}`, all.slice(i, i + 100).map((r): [FakeRepo, TeamPermission] => [r, 'admin']));
  fake.model.addTeam(inst.account, 'readers', all.map((r): [FakeRepo, TeamPermission] => [r, 'pull']));
  const db = await benchDatabase();
  const key = benchApiKey();
  const hub = await startHubProcess(benchHubEnv(db.url, key, { ...fake.env, OUTBOUND_ALLOW_PRIVATE: 'true' }));
  try {
    const org = await linkInstallation(db.url, inst);
    const headers = { authorization: `Bearer ${key}`, 'x-organization-id': org };
    const scan = async (label: string) => {
      const before = fake.stats.requests;
      const t0 = Date.now();
      const started = (await (await fetch(`${hub.url}/api/integrations/github/scan-org`, { method: 'POST', headers })).json()) as { scanId: string };
      for (;;) {
        const p = (await (await fetch(`${hub.url}/api/integrations/github/scan-progress`, { headers })).json()) as {
          scanId: string;
          status: string;
          reposScanned: number;
          error?: string;
          githubCost?: { graphqlRequests: number; graphqlPoints: number; restCalls: number; restNotModified: number; restPerRepository?: number };
        };
        if (p.scanId === started.scanId && p.status !== 'queued' && p.status !== 'scanning') {
          if (p.status !== 'completed') throw new Error(`scan ${p.status}: ${p.error ?? ''}`);
          const seconds = (Date.now() - t0) / 1000;
          const requests = fake.stats.requests - before;
          const c = p.githubCost ?? { graphqlRequests: 0, graphqlPoints: 0, restCalls: 0, restNotModified: 0 };
          const perRepo = c.restPerRepository ?? 0;
          const firstPass = c.graphqlRequests + c.restCalls + c.restNotModified - perRepo;
          console.log(
            `${label.padEnd(16)} ${String(p.reposScanned).padStart(6)} repos in ${seconds.toFixed(2).padStart(6)} s  ${(p.reposScanned / seconds).toFixed(0).padStart(6)} repos/s  ` +
              `${String(requests).padStart(4)} GitHub requests  ${(requests / p.reposScanned).toFixed(4)} requests/repo  ` +
              `cost (GitHub's headers): ${c.graphqlRequests} GraphQL requests, ${c.graphqlPoints} points (${(c.graphqlPoints / p.reposScanned).toFixed(3)} points/repo), ${c.restCalls} REST calls, ${c.restNotModified} REST 304s`,
          );
          // The bulk first pass (GraphQL pages and organization-wide lists) apart from the per-repository webhook reads.
          console.log(
            `${''.padEnd(16)} first pass ${firstPass} GitHub requests (${(firstPass / p.reposScanned).toFixed(4)}/repo); per-repository pass (webhooks) ${perRepo} requests`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    console.log(`fake GitHub latency ${fake.latencyMs} ms; ${repos} repositories`);
    await scan('first scan');
    await scan('unchanged rescan');
  } finally {
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
