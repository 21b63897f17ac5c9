import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

export const ROOT = join(__dirname, '..', '..');

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon against one URL and reduces the result to the figures we print. */
export async function load(
  name: string,
  url: string,
  opts: { connections?: number; duration?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadResult> {
  const base = { url, connections: opts.connections ?? 50, headers: opts.headers, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}) };
  // Warm-up: JIT, connection pools and caches settle before measuring.
  await autocannon({ ...base, duration: 2 });
  const r = await autocannon({ ...base, duration: opts.duration ?? 10 });
  return { name, requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function printTable(rows: LoadResult[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad('target', 44)}${pad('req/s', 12)}${pad('p50 ms', 10)}${pad('p99 ms', 10)}errors/non-2xx`);
  for (const r of rows) {
    console.log(`${pad(r.name, 44)}${pad(r.requestsPerSecond.toFixed(0), 12)}${pad(String(r.p50), 10)}${pad(String(r.p99), 10)}${r.errors}/${r.non2xx}`);
  }
}

/** The baseline: a bare node:http server answering a small JSON body, in its own process like the hub. */
export const BARE_SERVER_SOURCE = `
const { createServer } = require('node:http');
const body = JSON.stringify({ id: '7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44', email: 'admin@localhost', name: 'Administrator', organizations: [] });
const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
`;

export async function startBareServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Starts the built hub (dist/src/main.js) as its own process and resolves with its URL. */
export async function startHubProcess(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The hub logs its URL at info level once it listens.
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/"url":"(http:\/\/[^"]+)"/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export { createServer };
