/**
 * `npm run bench:proxy`: a proxied `GET /api/proxy/{id}/...` against the same `GET` sent directly to a loopback
 * upstream (a MantisBT-shaped node:http server in its own process), in the same run. The hub runs as `npm start`
 * runs it (its own process, with the container image's Node flags unless BENCH_NODE_FLAGS says otherwise), against the
 * local PostgreSQL and Redis.
 * - added latency: p50/p99 of sequential requests, direct and proxied interleaved (each on its own keep-alive
 *   connection) so both see the same machine load, proxied minus direct;
 * - throughput: req/s with BENCH_CONNECTIONS connections (autocannon), direct, through a bare node:http + undici
 *   proxy (the floor of any Node proxy: the second hop alone) and through the hub, alternating for BENCH_ROUNDS
 *   rounds; the ratios to direct per round and their median;
 * - hub CPU per proxied request (user + system time from /proc during the measured load, warm-up excluded);
 * - memory: the hub's RSS while it streams BENCH_STREAM_MB from the upstream to a client (twice: the first pass
 *   also grows the heap and buffers to their working size), sampled every 20 ms.
 * Environment: BENCH_DURATION (s per measurement, 10), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (50), BENCH_ROUNDS (2),
 * BENCH_STREAM_MB (200).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { benchApiKey, benchDatabase, benchHubEnv, firstJsonLine, load, LoadResult, printTable, startHubProcess } from './support';

const TOKEN = 'bench-mantis-token';
const MB = 1024 * 1024;

/** The upstream: JSON for any path (what a provider list call returns), `/bytes/{n}` streams n bytes. */
async function startUpstream(): Promise<{ url: string; stop(): void }> {
  const source = `
const payload = JSON.stringify({ id: 7, name: 'hubbot', issues: Array.from({ length: 20 }, (_, i) => ({ id: i, summary: 'Issue ' + i, status: { name: 'new' } })) });
const chunk = Buffer.alloc(64 * 1024, 120);
require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.headers.authorization !== ${JSON.stringify(TOKEN)}) { res.writeHead(401, { 'content-type': 'application/json' }); return res.end('{"message":"API token not found"}'); }
    const m = /^\\/bytes\\/(\\d+)$/.exec(req.url);
    if (!m) { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), etag: '"v1"', 'x-ratelimit-remaining': '4999' }); return res.end(payload); }
    let left = Number(m[1]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(left) });
    const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once('drain', pump); } res.end(); };
    pump();
  });
}).listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port })); });
`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = await firstJsonLine<{ url: string }>(child);
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * The floor of any Node proxy on this machine: a bare node:http server that sends each request on to the upstream
 * through undici (the hub's client) with the credential attached and pipes the answer back. No authentication,
 * limits, logging or metrics: what is left is the second HTTP hop itself.
 */
async function startBareProxy(upstreamUrl: string): Promise<{ url: string; stop(): void }> {
  const source = `
const { Agent, request } = require(${JSON.stringify(require.resolve('undici'))});
const dispatcher = new Agent({ keepAliveTimeout: 60000 });
const upstream = ${JSON.stringify(upstreamUrl)};
require('node:http').createServer(async (req, res) => {
  try {
    req.resume();
    const answer = await request(upstream + req.url, { method: req.method, headers: { authorization: ${JSON.stringify(TOKEN)} }, dispatcher });
    const headers = {};
    for (const [k, v] of Object.entries(answer.headers)) if (k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding') headers[k] = v;
    res.writeHead(answer.statusCode, headers);
    for await (const chunk of answer.body) res.write(chunk);
    res.end();
  } catch (err) { res.writeHead(502); res.end(String(err)); }
}).listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port })); });
`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = await firstJsonLine<{ url: string }>(child);
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Direct and proxied requests alternating (the order swapped every pair), each on its own keep-alive connection. */
async function interleaved(
  a: { url: string; headers: Record<string, string> },
  b: { url: string; headers: Record<string, string> },
  warmupSeconds: number,
  seconds: number,
): Promise<[number[], number[]]> {
  const agents = [new Agent({ connections: 1 }), new Agent({ connections: 1 })];
  const targets = [a, b];
  const samples: [number[], number[]] = [[], []];
  const once = async (i: number, keep: boolean) => {
    const started = process.hrtime.bigint();
    const res = await request(targets[i].url, { headers: targets[i].headers, dispatcher: agents[i] });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${targets[i].url} answered ${res.statusCode}`);
    if (keep) samples[i].push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  for (const [until, keep] of [[Date.now() + warmupSeconds * 1000, false], [Date.now() + (warmupSeconds + seconds) * 1000, true]] as const) {
    for (let n = 0; Date.now() < until; n++) {
      const first = n % 2;
      await once(first, keep);
      await once(1 - first, keep);
    }
  }
  await Promise.all(agents.map((agent) => agent.close()));
  return [samples[0].sort((x, y) => x - y), samples[1].sort((x, y) => x - y)];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const TICK_MICROS = 1e6 / (Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);

/** User and system CPU time of a process so far, in microseconds (system time is where socket writes are paid). */
function cpuSplit(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) * TICK_MICROS, system: Number(fields[12]) * TICK_MICROS };
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Number(line.replace(/\D+/g, '')) * 1024;
}

/** Streams `bytes` through the proxy while sampling the hub's RSS: before, peak, after. */
async function streamThrough(url: string, headers: Record<string, string>, pid: number): Promise<{ streamed: number; before: number; peak: number; after: number; seconds: number }> {
  const before = rssBytes(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  const started = Date.now();
  const res = await request(url, { headers });
  let streamed = 0;
  for await (const chunk of res.body) streamed += (chunk as Buffer).length;
  clearInterval(sampler);
  return { streamed, before, peak: Math.max(peak, rssBytes(pid)), after: rssBytes(pid), seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const warmup = Number(process.env.BENCH_WARMUP ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
  const streamMb = Number(process.env.BENCH_STREAM_MB ?? 200);
  const db = await benchDatabase();
  const key = benchApiKey();
  const upstream = await startUpstream();
  const bareProxy = await startBareProxy(upstream.url);
  const hub = await startHubProcess(benchHubEnv(db.url, key, { OUTBOUND_ALLOW_PRIVATE: 'true', PROXY_MAX_CONCURRENCY: '10000', PROXY_MAX_REQUESTS_PER_SECOND: '100000' }));
  try {
    const auth = { authorization: `Bearer ${key}` };
    const connect = await fetch(`${hub.url}/api/integrations/mantisbt/connect`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN, url: upstream.url }),
    });
    const connected = (await connect.json()) as { integration?: { id: string } };
    if (!connected.integration) throw new Error(`connect failed: ${connect.status} ${JSON.stringify(connected)}`);
    const direct = `${upstream.url}/api/rest/issues?page=1`;
    const proxied = `${hub.url}/api/proxy/${connected.integration.id}/api/rest/issues?page=1`;
    console.log(`machine load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${execFileSync('nproc').toString().trim()} cores)`);

    console.log('sequential latency...');
    const [directLatency, proxiedLatency] = await interleaved({ url: direct, headers: { authorization: TOKEN } }, { url: proxied, headers: auth }, warmup, duration);
    const [d50, d99, p50, p99] = [percentile(directLatency, 50), percentile(directLatency, 99), percentile(proxiedLatency, 50), percentile(proxiedLatency, 99)];

    const directRuns: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    const proxiedRuns: LoadResult[] = [];
    const cpu = { user: 0, system: 0, requests: 0 };
    for (let r = 1; r <= rounds; r++) {
      console.log(`throughput, round ${r} of ${rounds}...`);
      directRuns.push(await load(`direct GET (loopback upstream), round ${r}`, direct, { connections, duration, warmup, headers: { authorization: TOKEN } }));
      bareRuns.push(await load(`bare node:http + undici proxy, round ${r}`, `${bareProxy.url}/api/rest/issues?page=1`, { connections, duration, warmup }));
      let snapshot: { user: number; system: number } | null = null;
      const run = await load(`proxied GET /api/proxy/{id}/..., round ${r}`, proxied, {
        connections,
        duration,
        warmup,
        headers: auth,
        // Called after the warm-up and after the measured run: the user/system split covers the measured run only.
        cpuMicros: () => {
          const now = cpuSplit(hub.pid);
          if (snapshot) {
            cpu.user += now.user - snapshot.user;
            cpu.system += now.system - snapshot.system;
            snapshot = null;
          } else {
            snapshot = now;
          }
          return now.user + now.system;
        },
      });
      cpu.requests += run.requests;
      proxiedRuns.push(run);
    }
    const ratios = proxiedRuns.map((p, i) => p.requestsPerSecond / directRuns[i].requestsPerSecond);
    const bareRatios = bareRuns.map((b, i) => b.requestsPerSecond / directRuns[i].requestsPerSecond);
    const hubToBare = proxiedRuns.map((p, i) => p.requestsPerSecond / bareRuns[i].requestsPerSecond);

    const streamUrl = `${hub.url}/api/proxy/${connected.integration.id}/bytes/${streamMb * MB}`;
    console.log('streaming...');
    const streams = [await streamThrough(streamUrl, auth, hub.pid), await streamThrough(streamUrl, auth, hub.pid)];

    console.log(`\nsequential latency, direct and proxied interleaved, one keep-alive connection each (ms; ${warmup} s warm-up, ${duration} s measured)`);
    console.log(`  direct   p50 ${d50.toFixed(3)}  p99 ${d99.toFixed(3)}  (${directLatency.length} requests)`);
    console.log(`  proxied  p50 ${p50.toFixed(3)}  p99 ${p99.toFixed(3)}  (${proxiedLatency.length} requests)`);
    console.log(`  added    p50 ${(p50 - d50).toFixed(3)}  p99 ${(p99 - d99).toFixed(3)}  (target p50 <= 2 ms)\n`);
    console.log(`throughput, ${connections} connections, ${warmup} s warm-up and ${duration} s measured per run`);
    printTable(directRuns.flatMap((d, i) => [d, bareRuns[i], proxiedRuns[i]]));
    console.log(`\nthroughput proxied/direct per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)} (target >= 0.40)`);
    console.log(`  the bare proxy's (the second hop alone): ${bareRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(bareRatios).toFixed(2)}; hub/bare proxy ${median(hubToBare).toFixed(2)}`);
    const micros = cpu.user + cpu.system;
    const perRequest = micros / Math.max(1, cpu.requests);
    console.log(
      `hub CPU per proxied request: ${perRequest.toFixed(0)} µs (${((100 * cpu.system) / Math.max(1, micros)).toFixed(0)}% system time: socket reads and writes; ${((100 * cpu.user) / Math.max(1, micros)).toFixed(0)}% user)`,
    );
    for (const [i, s] of streams.entries()) {
      console.log(
        `streaming pass ${i + 1}: ${(s.streamed / MB).toFixed(0)} MB in ${s.seconds.toFixed(1)} s through the proxy; hub RSS ${(s.before / MB).toFixed(0)} MB before, peak ${(s.peak / MB).toFixed(0)} MB (+${((s.peak - s.before) / MB).toFixed(1)} MB), ${(s.after / MB).toFixed(0)} MB after`,
      );
    }
    if (proxiedRuns.some((r) => r.non2xx > 0 || r.errors > 0)) console.log('WARNING: the proxy answered non-2xx or errored during the run');
  } finally {
    upstream.stop();
    bareProxy.stop();
    await hub.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
