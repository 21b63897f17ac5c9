/**
 * `npm run bench:proxy`: a proxied `GET /api/proxy/{id}/...` against the same `GET` sent directly to a loopback
 * upstream (a MantisBT-shaped node:http server in its own process), in the same run:
 * - added latency: p50/p99 of sequential requests (one keep-alive connection), proxied minus direct;
 * - throughput: req/s with 50 connections (autocannon), proxied / direct;
 * - memory: the hub's peak RSS growth while it streams 200 MB from the upstream to a client.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import { benchApiKey, benchDatabase, benchHubEnv, firstJsonLine, load, printTable, startHubProcess } from './support';

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

/** Sequential requests on one keep-alive connection for `seconds`: per-request latency in ms. */
async function sequential(url: string, headers: Record<string, string>, seconds: number): Promise<number[]> {
  const dispatcher = new Agent({ connections: 1 });
  const samples: number[] = [];
  const warmUntil = Date.now() + 1000;
  while (Date.now() < warmUntil) await (await request(url, { headers, dispatcher })).body.dump();
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const started = process.hrtime.bigint();
    const res = await request(url, { headers, dispatcher });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await dispatcher.close();
  return samples.sort((a, b) => a - b);
}

/** The proxy reads the integration row on every call: the database round trip on this machine, for reading the figures. */
async function databaseRoundTrip(databaseUrl: string, integrationId: string, seconds: number): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const samples: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const started = process.hrtime.bigint();
    await client.query('SELECT * FROM integrations WHERE id = $1', [integrationId]);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await client.end();
  return samples.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** User and system CPU time of a process so far, in microseconds (system time is where socket writes are paid). */
function cpuSplit(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const tick = 1e6 / (Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);
  return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Number(line.replace(/\D+/g, '')) * 1024;
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const db = await benchDatabase();
  const key = benchApiKey();
  const upstream = await startUpstream();
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

    const directLatency = await sequential(direct, { authorization: TOKEN }, Math.max(1, duration / 2));
    const proxiedLatency = await sequential(proxied, auth, Math.max(1, duration / 2));
    const dbLatency = await databaseRoundTrip(db.url, connected.integration.id, 1);
    const [d50, d99, p50, p99] = [percentile(directLatency, 50), percentile(directLatency, 99), percentile(proxiedLatency, 50), percentile(proxiedLatency, 99)];

    const directLoad = await load('direct GET (loopback upstream)', direct, { duration, headers: { authorization: TOKEN } });
    const cpuBefore = cpuSplit(hub.pid);
    const proxiedLoad = await load('proxied GET /api/proxy/{id}/...', proxied, { duration, headers: auth, cpuMicros: hub.cpuMicros });
    const cpuAfter = cpuSplit(hub.pid);

    const rssBefore = rssBytes(hub.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(hub.pid))), 20);
    const stream = await request(`${hub.url}/api/proxy/${connected.integration.id}/bytes/${200 * MB}`, { headers: auth });
    let streamed = 0;
    for await (const chunk of stream.body) streamed += (chunk as Buffer).length;
    clearInterval(sampler);

    console.log('\nsequential latency, one connection (ms)');
    console.log(`  direct   p50 ${d50.toFixed(3)}  p99 ${d99.toFixed(3)}  (${directLatency.length} requests)`);
    console.log(`  proxied  p50 ${p50.toFixed(3)}  p99 ${p99.toFixed(3)}  (${proxiedLatency.length} requests)`);
    console.log(`  added    p50 ${(p50 - d50).toFixed(3)}  p99 ${(p99 - d99).toFixed(3)}  (target p50 <= 2 ms)`);
    console.log(`  for reference, one database round trip (the per-call integration lookup) p50 ${percentile(dbLatency, 50).toFixed(3)}  p99 ${percentile(dbLatency, 99).toFixed(3)}\n`);
    printTable([directLoad, proxiedLoad]);
    const ratio = proxiedLoad.requestsPerSecond / directLoad.requestsPerSecond;
    console.log(`\nthroughput proxied/direct: ${ratio.toFixed(2)} (target >= 0.40)`);
    // Includes the 2 s warm-up: only the split between user and system time is meant here, not the per-request figure.
    const user = cpuAfter.user - cpuBefore.user;
    const system = cpuAfter.system - cpuBefore.system;
    console.log(`hub CPU while proxying: ${((100 * system) / Math.max(1, user + system)).toFixed(0)}% system time (socket writes and reads), ${((100 * user) / Math.max(1, user + system)).toFixed(0)}% user time`);
    console.log(`streaming: ${(streamed / MB).toFixed(0)} MB through the proxy, hub peak RSS growth ${((peak - rssBefore) / MB).toFixed(1)} MB (RSS ${(rssBefore / MB).toFixed(0)} MB before)`);
    if (proxiedLoad.non2xx > 0 || proxiedLoad.errors > 0) console.log('WARNING: the proxy answered non-2xx or errored during the run');
  } finally {
    upstream.stop();
    await hub.stop();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
