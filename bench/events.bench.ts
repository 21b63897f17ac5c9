/**
 * `npm run bench:events -- [--events 10000] [--subscriptions 10] [--concurrency 16]`: the built hub (its own process,
 * PostgreSQL + Redis) turns changes into events fanned out to subscriptions whose receivers run on loopback in this
 * process. Each change is a real `PATCH /api/integrations/:id` (an `integration.updated` event every subscription
 * wants), `--concurrency` at a time on as many integrations. Prints deliveries per second and the time from change to first delivery attempt (p50/p99).
 */
import { createServer, Server } from 'node:http';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { poll } from '../test/support/poll';
import { benchApiKey, benchDatabase, benchHubEnv, startHubProcess } from './support';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

/** A receiver answering 204 at once; it verifies every hundredth request with the real `standardwebhooks` package. */
async function startReceiver(received: { count: number; verified: number; failures: number }): Promise<{ url: string; server: Server; secret: { value: string } }> {
  const secret = { value: '' };
  let hook: Webhook | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.count++;
      if (received.count % 100 === 0) {
        hook ??= new Webhook(secret.value);
        try {
          hook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
          received.verified++;
        } catch {
          received.failures++;
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`, server, secret };
}

async function main(): Promise<void> {
  const events = arg('events', 10_000);
  const subscriptions = arg('subscriptions', 10);
  const concurrency = arg('concurrency', 16);
  const received = { count: 0, verified: 0, failures: 0 };
  const receivers = await Promise.all(Array.from({ length: subscriptions }, () => startReceiver(received)));
  const db = await benchDatabase();
  const key = benchApiKey();
  const hub = await startHubProcess(benchHubEnv(db.url, key, { OUTBOUND_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' }));
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    const org = (await pg.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    // One integration per concurrent changer (as connects would have stored them), so changes do not queue on one row lock.
    for (let i = 0; i < concurrency; i++) {
      await pg.query(`INSERT INTO integrations (id, organization_id, provider, external_account_id, display_name) VALUES ($1, $2, 'mantisbt', $3, 'bench')`, [String(4200 + i), org, `bench-${i}`]);
    }
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    for (const r of receivers) {
      const res = await fetch(`${hub.url}/api/organizations/${org}/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: r.url, events: ['integration.updated'] }) });
      if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
      r.secret.value = ((await res.json()) as { secret: string }).secret;
    }
    const total = events * subscriptions;
    const cpuBefore = hub.cpuMicros();
    const t0 = Date.now();
    let next = 0;
    const changer = async (integrationId: string) => {
      while (next < events) {
        const n = next++;
        const res = await fetch(`${hub.url}/api/integrations/${integrationId}`, { method: 'PATCH', headers, body: JSON.stringify({ enabled: n % 2 === 0 }) });
        if (res.status !== 200) throw new Error(`change ${n}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, i) => changer(String(4200 + i))));
    const changesDone = Date.now();
    await poll(async () => ((await pg.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'succeeded'`)).rows[0].n as number) >= total, {
      timeoutMs: 15 * 60_000 - (Date.now() - t0),
      intervalMs: 200,
      what: `all ${total} deliveries succeeded`,
    });
    const done = Date.now();
    const cpu = (hub.cpuMicros() - cpuBefore) / total;
    const stats = (
      await pg.query(`
        SELECT count(*)::int AS deliveries, count(DISTINCT d.event_id)::int AS events, max(d.attempts)::int AS max_attempts,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.first_attempt_at - e.created_at)) * 1000 AS p50,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.first_attempt_at - e.created_at)) * 1000 AS p99,
          extract(epoch FROM max(d.succeeded_at) - min(e.created_at)) AS span
        FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id`)
    ).rows[0];
    console.log(`${stats.events} events x ${subscriptions} subscriptions = ${stats.deliveries} deliveries (max attempts per delivery: ${stats.max_attempts})`);
    console.log(`changes: ${events} PATCHes in ${((changesDone - t0) / 1000).toFixed(1)} s (${(events / ((changesDone - t0) / 1000)).toFixed(0)} changes/s, ${concurrency} at a time)`);
    console.log(`deliveries/s: ${(Number(stats.deliveries) / Number(stats.span)).toFixed(0)} (first change to last success ${Number(stats.span).toFixed(1)} s; all done ${((done - t0) / 1000).toFixed(1)} s after the first change)`);
    console.log(`change to first attempt: p50 ${Number(stats.p50).toFixed(0)} ms, p99 ${Number(stats.p99).toFixed(0)} ms`);
    console.log(`hub CPU per delivery (changes included): ${cpu.toFixed(0)} µs; receivers got ${received.count} requests, verified ${received.verified} samples, ${received.failures} signature failures`);
    if (received.failures > 0) process.exitCode = 1;
  } finally {
    await pg.end();
    await hub.stop();
    for (const r of receivers) r.server.close();
    await db.drop();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
