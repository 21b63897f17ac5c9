import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { KeyRing } from '../src/common/sealed-secrets';
import { randomBytes } from 'node:crypto';
import { spawnHub } from '../test/support/process';
import { poll } from '../test/support/poll';


export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU per request (µs), when the server process is ours to measure. */
  cpuPerRequest?: number;
}

/** Runs autocannon against one URL and reduces the result to the figures we print. */
export async function load(
  name: string,
  url: string,
  opts: { connections?: number; duration?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string; cpuMicros?: () => number } = {},
): Promise<LoadResult> {
  const base = { url, connections: opts.connections ?? 50, headers: opts.headers, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}) };
  // Warm-up: JIT, connection pools and caches settle before measuring.
  await autocannon({ ...base, duration: 2 });
  const cpuBefore = opts.cpuMicros?.();
  const r = await autocannon({ ...base, duration: opts.duration ?? 10 });
  const cpuPerRequest = cpuBefore === undefined ? undefined : ((opts.cpuMicros as () => number)() - cpuBefore) / r.requests.total;
  return { name, requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuPerRequest };
}

export function printTable(rows: LoadResult[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad('target', 44)}${pad('req/s', 12)}${pad('p50 ms', 10)}${pad('p99 ms', 10)}${pad('errors/non-2xx', 16)}server CPU/request`);
  for (const r of rows) {
    const cpu = r.cpuPerRequest === undefined ? '-' : `${r.cpuPerRequest.toFixed(0)} µs`;
    console.log(`${pad(r.name, 44)}${pad(r.requestsPerSecond.toFixed(0), 12)}${pad(String(r.p50), 10)}${pad(String(r.p99), 10)}${pad(`${r.errors}/${r.non2xx}`, 16)}${cpu}`);
  }
}

/** The baseline: a bare node:http server answering a fixed JSON body (after reading the request), in its own process like the hub. */
export async function startBareServer(body: unknown = { id: '7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44', email: 'admin@localhost', name: 'Administrator', organizations: [] }, status = 200): Promise<{ url: string; stop(): void }> {
  const source = `
const payload = ${JSON.stringify(JSON.stringify(body))};
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(${status}, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }); res.end(payload); });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstJsonLine<{ url: string }>(child).then((l) => l.url);
  return { url, stop: () => child.kill('SIGTERM') };
}

export function firstJsonLine<T>(child: ChildProcess, match = (s: string) => s.startsWith('{')): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (match(line.trim())) {
          try {
            return resolve(JSON.parse(line.trim()) as T);
          } catch {
            // keep reading
          }
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code}: ${buf}`)));
  });
}

/** A fresh database on the local PostgreSQL server for one benchmark run. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `hub_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Starts the built hub (dist/src/main.js) as its own process. Its output goes to a file, not a pipe, so the
 * benchmark process (which also runs the load generator) spends nothing reading logs.
 */
export interface HubProcess {
  url: string;
  pid: number;
  logFile: string;
  /** CPU time (user + system) the hub process has used so far, in microseconds. */
  cpuMicros(): number;
  /** Resident memory of the hub process now and its peak so far, in MB (/proc/<pid>/status VmRSS, VmHWM). */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const logFile = join(mkdtempSync(join(tmpdir(), 'hub-bench-')), 'hub.log');
  const port = await freePort();
  // The tests' launcher, output to a file. No V8 flags, as the benchmarks have always run: their figures stay
  // comparable with earlier runs (`npm start` adds HUB_NODE_FLAGS).
  const child = spawnHub({ LOG_LEVEL: 'info', ...env, PORT: String(port) }, { logFile, nodeFlags: [] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  // Ready when it answers its liveness probe (whatever LOG_LEVEL says).
  // A first embedded start runs initdb, which is slow on a busy machine.
  await poll(
    async () => {
      if (exited) throw new Error(`hub exited: ${readFileSync(logFile, 'utf8')}`);
      return fetch(`${url}/api/healthz`).then((r) => r.ok, () => false);
    },
    { timeoutMs: 120_000, intervalMs: 100, what: 'hub liveness' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${readFileSync(logFile, 'utf8')}`);
  });
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return {
    url,
    pid: child.pid as number,
    logFile,
    cpuMicros: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
    },
    memory: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
      return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') };
    },
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment every benchmark hub runs with: its own database, queue prefix, keys and bootstrap key. */
export function benchHubEnv(databaseUrl: string, apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEYS: KeyRing.generateSpec('bench'),
    BOOTSTRAP_API_KEY: apiKey,
    ...extra,
  };
}

/** The embedded defaults (PGlite in a fresh DATA_DIR, in-process queue): what `npm start` runs with nothing set. */
export function benchEmbeddedHubEnv(apiKey: string): Record<string, string> {
  return { DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-bench-data-')), BOOTSTRAP_API_KEY: apiKey };
}

/** A fresh bootstrap key for a benchmark hub. */
export function benchApiKey(): string {
  return `ihk_${randomBytes(32).toString('base64url')}`;
}

/** Links a fake GitHub installation to the bootstrap organization, as a connect would; returns the organization id. */
export async function linkInstallation(databaseUrl: string, installation: { id: number; account: { login: string; id: number } }): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const org = (await client.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    await client.query(
      `INSERT INTO github_installations (installation_id, organization_id, account_login, account_id, account_type, repository_selection) VALUES ($1, $2, $3, $4, 'Organization', 'all')`,
      [installation.id, org, installation.account.login, installation.account.id],
    );
    return org;
  } finally {
    await client.end();
  }
}

export { createServer };
