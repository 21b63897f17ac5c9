/**
 * `npm run bench:tokens`: the cached installation-token mint path of the hub (PostgreSQL + Redis, its own process,
 * GITHUB_* pointing at the fake GitHub) against a bare node:http JSON server (own process), autocannon with
 * 50 connections. Prints req/s, p50, p99 for both and the hub/bare ratio.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { KeyRing } from '../src/common/sealed-secrets';
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import { benchDatabase, load, printTable, startBareServer, startHubProcess } from './support';

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const db = await benchDatabase();
  const fake = await new FakeGithub({ repos: 20 }).start();
  const key = `ihk_${randomBytes(32).toString('base64url')}`;
  const hub = await startHubProcess({
    ...fake.env,
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEYS: KeyRing.generateSpec('bench'),
    BOOTSTRAP_API_KEY: key,
    OUTBOUND_ALLOW_PRIVATE: 'true',
  });
  const bare = await startBareServer(
    { token: `ghs_${'x'.repeat(36)}`, expires_at: '2030-01-01T00:00:00Z', on_behalf_of: null, permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' },
    201,
  );
  try {
    // Link the fake's installation to the bootstrap organization, as a connect would.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const org = (await client.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    const inst = fake.installation;
    await client.query(
      `INSERT INTO github_installations (installation_id, organisation_id, account_login, account_id, account_type, repository_selection) VALUES ($1, $2, $3, $4, 'Organization', 'all')`,
      [inst.id, org, inst.account.login, inst.account.id],
    );
    await client.end();
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
