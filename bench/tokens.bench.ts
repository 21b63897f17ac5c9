/**
 * `npm run bench:tokens`: the cached installation-token mint path of the hub (PostgreSQL + Redis, its own process,
 * GITHUB_* pointing at the fake GitHub) against a bare node:http JSON server (own process), autocannon with
 * 50 connections. Prints req/s, p50, p99 for both and the hub/bare ratio.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { KeyRing } from '../src/common/sealed-secrets';
import { FakeGithub } from '../test/fakes/github/fake-github.server';
import { join } from 'node:path';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);

const BARE_SOURCE = `
const body = JSON.stringify({ token: 'ghs_${'x'.repeat(36)}', expires_at: '2030-01-01T00:00:00Z', on_behalf_of: null, permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' });
const server = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
`;

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function measure(name: string, url: string, headers: Record<string, string>): Promise<Figures> {
  const opts = { url, method: 'POST' as const, body: '{}', headers: { 'content-type': 'application/json', ...headers }, connections: CONNECTIONS };
  await autocannon({ ...opts, duration: 2 });
  const r = await autocannon({ ...opts, duration: DURATION_S });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.errors + r.non2xx };
}

/** The built hub (dist/src/main.js, what `npm start` runs) in its own process; resolves once it logs its URL. */
async function startHub(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${out}`)));
  });
  child.stdout.resume();
  return { url, stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

async function main(): Promise<void> {
  const dbName = `hub_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = Object.assign(new URL(SERVER), { pathname: `/${dbName}` }).toString();
  const fake = await new FakeGithub({ repos: 20 }).start();
  const key = `ihk_${randomBytes(32).toString('base64url')}`;
  const hub = await startHub({
    ...fake.env,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: dbUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEYS: KeyRing.generateSpec('bench'),
    BOOTSTRAP_API_KEY: key,
    OUTBOUND_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'info',
  });
  const bare = spawn(process.execPath, ['-e', BARE_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const bareUrl = await new Promise<string>((resolve) => bare.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url)));
    // Link the fake's installation to the bootstrap organization, as a connect would.
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    const org = (await db.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    const inst = fake.installation;
    await db.query(
      `INSERT INTO github_installations (installation_id, organisation_id, account_login, account_id, account_type, repository_selection) VALUES ($1, $2, $3, $4, 'Organization', 'all')`,
      [inst.id, org, inst.account.login, inst.account.id],
    );
    await db.end();
    const mintUrl = `${hub.url}/api/installations/${inst.id}/access_tokens`;
    const rows = [await measure('bare node:http JSON (POST)', `${bareUrl}/`, {}), await measure('hub POST access_tokens (cached)', mintUrl, { authorization: `Bearer ${key}` })];
    console.log(`\n${'target'.padEnd(36)}${'req/s'.padEnd(10)}${'p50 ms'.padEnd(9)}${'p99 ms'.padEnd(9)}errors+non2xx`);
    for (const r of rows) console.log(`${r.name.padEnd(36)}${r.rps.toFixed(0).padEnd(10)}${String(r.p50).padEnd(9)}${String(r.p99).padEnd(9)}${r.bad}`);
    const [b, h] = rows;
    console.log(`\nratio hub/bare req/s: ${(h.rps / b.rps).toFixed(2)} (target >= 0.40); hub p99 ${h.p99} ms (target <= 15 ms); upstream mints during the run: ${fake.mintCount()}`);
  } finally {
    bare.kill('SIGTERM');
    await hub.stop();
    await fake.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
