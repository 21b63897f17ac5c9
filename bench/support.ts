import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { KeyRing } from '../src/common/sealed-secrets';
import { randomBytes } from 'node:crypto';
import { ensureBuilt, HUB_NODE_FLAGS, IMAGE_NODE_FLAGS, MAIN_JS } from '../test/support/process';
import { freePort } from '../test/support/http';
import { poll } from '../test/support/poll';

export { freePort };


export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Requests completed in the measured run. */
  requests: number;
  /** Server CPU per request (µs), when the server process is ours to measure. */
  cpuPerRequest?: number;
  /** When the measured run (after the warm-up) began, Date.now(). */
  measuredFrom: number;
  /** loadAlternating: CPU per request (µs) and req/s of each round. */
  roundsCpu?: number[];
  roundsRps?: number[];
}

/**
 * Seconds of load before each measured run (BENCH_WARMUP): a hub just started spends its first seconds compiling
 * its hot paths (V8's tiers run on their own threads, whose CPU the process's figure includes) and growing its young
 * generation. The plain mint's CPU per request in 1 s slices from the start, on 2026-12-03: 167 108 90 51 61 65 53
 * 52 52 53 µs; `@me`'s: 101 50 28 32 26 38 28 24 25 31 µs. From 8 s on, a run measures the steady state a serving
 * hub is in; the baselines get the same warm-up.
 */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 8);

/** Runs autocannon against one URL and reduces the result to the figures we print. */
export async function load(
  name: string,
  url: string,
  opts: { connections?: number; duration?: number; warmup?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string; cpuMicros?: () => number } = {},
): Promise<LoadResult> {
  const base = { url, connections: opts.connections ?? 50, headers: opts.headers, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}) };
  // Warm-up: JIT, connection pools and caches settle before measuring.
  await autocannon({ ...base, duration: opts.warmup ?? WARMUP_SECONDS });
  const measuredFrom = Date.now();
  const cpuBefore = opts.cpuMicros?.();
  const r = await autocannon({ ...base, duration: opts.duration ?? 10 });
  const cpuPerRequest = cpuBefore === undefined ? undefined : ((opts.cpuMicros as () => number)() - cpuBefore) / r.requests.total;
  return { name, requestsPerSecond: r.requests.average, requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuPerRequest, measuredFrom };
}

/** One target of `loadAlternating`: what `load` takes, named. */
export interface LoadSpec {
  name: string;
  url: string;
  connections?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  cpuMicros?: () => number;
}

/**
 * Rounds of `loadAlternating` (BENCH_ROUNDS): this machine's speed drifts by tens of percent within minutes, so a
 * hub measured 20 s after its baseline can be compared with a different machine. Short runs taken in turn put the
 * same drift on both sides of a ratio.
 */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

/**
 * Measures `specs` in turn: each warmed up once (BENCH_WARMUP), then ROUNDS rounds in which every target is loaded
 * for `duration / ROUNDS` seconds, in reverse order every other round (A B, B A, ...). A target's figures are its
 * rounds together: requests over the time they took, CPU over those requests, and the latency percentiles of all
 * its requests (autocannon's own `aggregateResult` adds the rounds' histograms up).
 */
export async function loadAlternating(specs: LoadSpec[], opts: { duration?: number; rounds?: number } = {}): Promise<LoadResult[]> {
  const rounds = opts.rounds ?? ROUNDS;
  const slice = Math.max(1, (opts.duration ?? 10) / rounds);
  const bases = specs.map((t) => ({ url: t.url, connections: t.connections ?? 50, headers: t.headers, method: t.method ?? 'GET', ...(t.body ? { body: t.body } : {}) }));
  for (const base of bases) await autocannon({ ...base, duration: WARMUP_SECONDS });
  const runs = specs.map(() => [] as Array<{ raw: RawRun; cpu?: number }>);
  const measuredFrom = Date.now();
  for (let round = 0; round < rounds; round++) {
    const order = specs.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const cpuBefore = specs[i].cpuMicros?.();
      const raw = (await autocannon({ ...bases[i], duration: slice, skipAggregateResult: true })) as unknown as RawRun;
      runs[i].push({ raw, cpu: cpuBefore === undefined ? undefined : (specs[i].cpuMicros as () => number)() - cpuBefore });
    }
  }
  return specs.map((t, i) => {
    const mine = runs[i];
    const total = aggregateResult(mine.map((r) => r.raw), bases[i]);
    const requests = mine.reduce((a, r) => a + r.raw.totalCompletedRequests, 0);
    const seconds = mine.reduce((a, r) => a + r.raw.duration, 0);
    return {
      name: t.name,
      requestsPerSecond: requests / seconds,
      requests,
      p50: total.latency.p50,
      p99: total.latency.p99,
      errors: total.errors,
      non2xx: total.non2xx,
      cpuPerRequest: t.cpuMicros ? mine.reduce((a, r) => a + (r.cpu as number), 0) / requests : undefined,
      measuredFrom,
      roundsCpu: t.cpuMicros ? mine.map((r) => (r.cpu as number) / r.raw.totalCompletedRequests) : undefined,
      roundsRps: mine.map((r) => r.raw.totalCompletedRequests / r.raw.duration),
    };
  });
}

/** What autocannon answers with `skipAggregateResult` (histograms still encoded), as far as we read it. */
interface RawRun {
  totalCompletedRequests: number;
  /** Seconds. */
  duration: number;
}

/** autocannon's `aggregateResult` (in its module, not in its type declarations): several raw runs as one result. */
const aggregateResult = (autocannon as unknown as { aggregateResult(runs: RawRun[], opts: object): autocannon.Result }).aggregateResult;

export function printTable(rows: LoadResult[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const rounds = rows[0]?.roundsRps?.length;
  console.log(`(each target measured after ${WARMUP_SECONDS} s of the same load: BENCH_WARMUP${rounds ? `; in ${rounds} rounds taken in turn with its baseline: BENCH_ROUNDS` : ''})`);
  console.log(`${pad('target', 44)}${pad('req/s', 12)}${pad('p50 ms', 10)}${pad('p99 ms', 10)}${pad('errors/non-2xx', 16)}server CPU/request`);
  for (const r of rows) {
    const cpu = r.cpuPerRequest === undefined ? '-' : `${r.cpuPerRequest.toFixed(0)} µs`;
    console.log(`${pad(r.name, 44)}${pad(r.requestsPerSecond.toFixed(0), 12)}${pad(String(r.p50), 10)}${pad(String(r.p99), 10)}${pad(`${r.errors}/${r.non2xx}`, 16)}${cpu}`);
  }
}

/** The baseline: a bare node:http server answering a fixed JSON body (after reading the request), in its own process like the hub. */
export async function startBareServer(body: unknown = { id: '7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44', email: 'admin@localhost', name: 'Administrator', organizations: [] }, status = 200): Promise<{ url: string; cpuMicros(): number; stop(): void }> {
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
  return { url, cpuMicros: () => processCpuMicros(child.pid as number), stop: () => child.kill('SIGTERM') };
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
  /** When the process was spawned (Date.now()): a CPU profile's samples count from about then. */
  startedAt: number;
  /** CPU time (user + system) the hub process has used so far, in microseconds. */
  cpuMicros(): number;
  /** Resident memory of the hub process now and its peak so far, in MB (/proc/<pid>/status VmRSS, VmHWM). */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

/** `nodeFlags`: Node flags before the script (the proxy benchmark runs the hub with `npm start`'s, HUB_NODE_FLAGS). */
export async function startHubProcess(env: Record<string, string>, nodeFlags: string[] = []): Promise<HubProcess> {
  const logFile = join(mkdtempSync(join(tmpdir(), 'hub-bench-')), 'hub.log');
  const fd = openSync(logFile, 'w');
  const port = await freePort();
  ensureBuilt();
  const startedAt = Date.now();
  // BENCH_CPU_PROF=<dir>: the hub writes a V8 CPU profile there when it stops (see bench/README.md).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // A benchmark that names its flags (the proxy runs with npm start's) keeps them; the others take BENCH_NODE_FLAGS.
  const flags = nodeFlags.length > 0 ? nodeFlags : benchNodeFlags();
  const child = spawn(process.execPath, [...flags, ...profile, MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
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
  return {
    url,
    pid: child.pid as number,
    logFile,
    startedAt,
    cpuMicros: () => processCpuMicros(child.pid as number),
    memory: () => processMemory(child.pid as number),
    // The log (one line a request: gigabytes after a few runs) goes with the process, unless BENCH_KEEP_LOGS is set.
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).then(() => {
        if (!process.env.BENCH_KEEP_LOGS) rmSync(dirname(logFile), { recursive: true, force: true });
      }),
  };
}

/**
 * Node flags of a benchmark hub: the container image's (`--max-semi-space-size=16`, IMAGE_NODE_FLAGS) by default;
 * BENCH_NODE_FLAGS=npm-start takes `npm start`'s (`--liftoff-only --max-semi-space-size=4`, sized for the embedded
 * database), BENCH_NODE_FLAGS=none runs Node with none, any other value is split on spaces.
 */
export function benchNodeFlags(): string[] {
  const flags = process.env.BENCH_NODE_FLAGS;
  if (flags === undefined || flags === '') return IMAGE_NODE_FLAGS;
  if (flags === 'npm-start') return HUB_NODE_FLAGS;
  if (flags === 'none') return [];
  return flags.split(' ').filter(Boolean);
}

let ticksPerSecond = 0;

/** CPU time (user + system) a process has used so far, in microseconds, from /proc/<pid>/stat. */
export function processCpuMicros(pid: number): number {
  ticksPerSecond ||= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

/** Resident memory of a process now and its peak so far, in MB (/proc/<pid>/status VmRSS, VmHWM). */
export function processMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
  return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') };
}


/** The environment every benchmark hub runs with: its own database, queue prefix, keys and bootstrap key. */
export function benchHubEnv(databaseUrl: string, apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEYS: KeyRing.generateSpec('bench'),
    BOOTSTRAP_API_KEY: apiKey,
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...extra,
  };
}

/** The METRICS_TOKEN of every benchmark hub: the soak reads the hub's heap figures from `/api/metrics` with it. */
const BENCH_METRICS_TOKEN = randomBytes(24).toString('hex');

/** The embedded defaults (PGlite in a fresh DATA_DIR, in-process queue): what `npm start` runs with nothing set. */
export function benchEmbeddedHubEnv(apiKey: string): Record<string, string> {
  return { DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-bench-data-')), BOOTSTRAP_API_KEY: apiKey, METRICS_TOKEN: BENCH_METRICS_TOKEN };
}

/** A fresh bootstrap key for a benchmark hub. */
export function benchApiKey(): string {
  return `ihk_${randomBytes(32).toString('base64url')}`;
}

/** Links a fake GitHub installation to the bootstrap organization, as a connect would; returns the organization id. */
export async function linkInstallation(databaseUrl: string, installation: { id: number; account: { login: string; id: number } }): Promise<string> {
  return linkInstallations(databaseUrl, [installation]);
}

/** Links several fake GitHub installations to the bootstrap organization; returns the organization id. */
export async function linkInstallations(databaseUrl: string, installations: Array<{ id: number; account: { login: string; id: number } }>): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const org = (await client.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    for (const installation of installations) {
      await client.query(
        `INSERT INTO github_installations (installation_id, organization_id, account_login, account_id, account_type, repository_selection) VALUES ($1, $2, $3, $4, 'Organization', 'all')`,
        [installation.id, org, installation.account.login, installation.account.id],
      );
    }
    return org;
  } finally {
    await client.end();
  }
}

/** The targets every hot-path benchmark prints its figures against (issue 19). */
export const TARGETS = { ratio: 0.5, cpuMicros: 35, p99Ms: 10, rssAfterStartMb: 200, soakGrowth: 0.1 };

/** One line per measured hub row: ratio to the same run's bare server, CPU per request (hub and bare), p99, each against its target. */
export function printVerdicts(baseline: LoadResult, rows: LoadResult[]): void {
  console.log('');
  for (const r of rows) {
    const ratio = r.requestsPerSecond / baseline.requestsPerSecond;
    const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const cpu = r.cpuPerRequest ?? NaN;
    console.log(
      `${r.name}: hub/bare ${ratio.toFixed(2)} (target >= ${TARGETS.ratio}: ${mark(ratio >= TARGETS.ratio)}); ` +
        `hub CPU ${cpu.toFixed(1)} µs/request (target <= ${TARGETS.cpuMicros}: ${mark(cpu <= TARGETS.cpuMicros)}; bare ${baseline.cpuPerRequest?.toFixed(1) ?? '-'} µs); ` +
        `p99 ${r.p99} ms (target <= ${TARGETS.p99Ms}: ${mark(r.p99 <= TARGETS.p99Ms)})` +
        (r.errors || r.non2xx ? `; WARNING ${r.errors} errors, ${r.non2xx} non-2xx` : ''),
    );
    if (r.roundsRps && baseline.roundsRps?.length === r.roundsRps.length) {
      const ratios = r.roundsRps.map((rps, i) => (rps / (baseline.roundsRps as number[])[i]).toFixed(2));
      console.log(`  by round: hub/bare ${ratios.join(' ')}; hub µs/request ${(r.roundsCpu ?? []).map((c) => c.toFixed(0)).join(' ')}; bare ${(baseline.roundsCpu ?? []).map((c) => c.toFixed(0)).join(' ')}`);
    }
  }
}

/** The hub's resident memory, printed after start and after each benchmark. */
export function printMemory(hub: Pick<HubProcess, 'memory'>, when: string): { rssMb: number; peakMb: number } {
  const m = hub.memory();
  const target = when === 'after start' ? ` (target <= ${TARGETS.rssAfterStartMb} MB: ${m.rssMb <= TARGETS.rssAfterStartMb ? 'ok' : 'MISSED'})` : '';
  console.log(`hub RSS ${when}: ${m.rssMb} MB (peak ${m.peakMb} MB)${target}`);
  return m;
}

/**
 * BENCH_SOAK=<seconds> (60 for the issue's target): keeps one load running that long, sampling the hub's RSS every
 * 5 s, and prints the growth from the first sample (after a warm-up) to the last.
 */
export async function soak(
  name: string,
  url: string,
  hub: Pick<HubProcess, 'memory' | 'cpuMicros' | 'url'>,
  seconds: number,
  opts: { headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = {},
): Promise<void> {
  const base = { url, connections: 50, headers: opts.headers, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}) };
  await autocannon({ ...base, duration: 5 });
  // The JavaScript heap and the memory outside it, from the hub's own metrics: whether RSS growth is live objects.
  const heap = async (): Promise<string> => {
    const text = await fetch(`${hub.url}/api/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } }).then((r) => r.text(), () => '');
    const mb = (metric: string) => Math.round(Number(new RegExp(`^${metric} (\\S+)`, 'm').exec(text)?.[1]) / 2 ** 20);
    return `${mb('hub_nodejs_heap_size_used_bytes')}/${mb('hub_nodejs_external_memory_bytes')}`;
  };
  const samples: number[] = [hub.memory().rssMb];
  const heaps: Array<Promise<string>> = [heap()];
  const timer = setInterval(() => {
    samples.push(hub.memory().rssMb);
    heaps.push(heap());
  }, 5000);
  const cpuBefore = hub.cpuMicros();
  const r = await autocannon({ ...base, duration: seconds });
  clearInterval(timer);
  samples.push(hub.memory().rssMb);
  heaps.push(heap());
  const growth = samples[samples.length - 1] / samples[0] - 1;
  console.log(
    `\nsoak ${name}, ${seconds} s: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, ${((hub.cpuMicros() - cpuBefore) / r.requests.total).toFixed(1)} µs CPU/request, ` +
      `${r.errors} errors/${r.non2xx} non-2xx\n  RSS every 5 s: ${samples.join(' ')} MB; growth ${(growth * 100).toFixed(1)}% ` +
      `(target <= ${TARGETS.soakGrowth * 100}%: ${growth <= TARGETS.soakGrowth ? 'ok' : 'MISSED'})\n  JS heap used/external every 5 s: ${(await Promise.all(heaps)).join(' ')} MB`,
  );
}

/** BENCH_CPU_PROF: where the measured window of a run starts in the profile, for `profile-top --skip`. */
export function printProfileWindow(hub: Pick<HubProcess, 'startedAt'>, r: LoadResult): void {
  if (process.env.BENCH_CPU_PROF) console.log(`cpu profile: "${r.name}" measured from ${((r.measuredFrom - hub.startedAt) / 1000).toFixed(1)} s after the hub started`);
}

export { createServer };

/** Processes behind one port (Node's cluster: the primary hands each new connection to the next worker, then stays out of the data path). */
export interface ClusterProcesses {
  url: string;
  pids: number[];
  /** CPU time of the workers together (µs); the primary (this process) only accepts connections. */
  cpuMicros(): number;
  /** Each worker's RSS now (MB). */
  memory(): Array<{ rssMb: number; peakMb: number }>;
  stop(): Promise<void>;
}

/** Forks `count` workers running `exec` (the hub's main.js, or a bare server script) sharing one port; ready when every worker listens. */
export async function startCluster(exec: string, env: Record<string, string>, count: number, execArgv: string[] = []): Promise<ClusterProcesses> {
  const cluster = (await import('node:cluster')).default;
  const port = await freePort();
  cluster.setupPrimary({ exec, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // One after the other: the first runs the migrations and the first-start bootstrap on the empty database.
  const workers: Array<import('node:cluster').Worker> = [];
  for (let i = 0; i < count; i++) {
    const w = cluster.fork({ PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) });
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('a cluster worker did not listen within 120 s')), 120_000);
      w.once('listening', () => (clearTimeout(timer), resolve()));
      w.once('exit', (code) => (clearTimeout(timer), reject(new Error(`a cluster worker exited with ${code}`))));
    });
  }
  const pids = workers.map((w) => w.process.pid as number);
  return {
    url: `http://127.0.0.1:${port}`,
    pids,
    cpuMicros: () => pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0),
    memory: () => pids.map((pid) => processMemory(pid)),
    stop: () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      ).then(() => undefined),
  };
}

/** A file holding the bare node:http server of startBareServer, for cluster workers (which run a file, not `-e`). */
export function bareServerScript(body: unknown, status: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hub-bench-bare-')), 'bare.js');
  writeFileSync(
    file,
    `const payload = ${JSON.stringify(JSON.stringify(body))};
require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(${status}, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }); res.end(payload); });
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
  );
  return file;
}
