import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { waitFor } from './support/github';
import { http } from './support/http';
import { clearRedisPrefix, createDatabase, dropDatabase, testEnv, testPool } from './support/hub-harness';
import { HubProcess, startHubProcess } from './support/process';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

/** The hub as `npm start` runs it, SIGKILLed between a change and its delivery, then started again on the same database. */
describe.each([
  { name: 'Bull on Redis, killed while the first attempt is in flight', redis: true },
  { name: 'in-process queue (its jobs die with the process), killed before any attempt', redis: false },
])('events survive a SIGKILL: $name', ({ redis }) => {
  let receiver: WebhookReceiver;
  let databaseName: string;
  let env: Record<string, string>;
  let db: Pool;
  const processes: HubProcess[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    databaseName = await createDatabase();
    env = testEnv(databaseName, `t${randomBytes(5).toString('hex')}`, {
      redis,
      env: { LOG_LEVEL: 'info', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_SWEEP_INTERVAL_MS: '100', WEBHOOK_RETRY_BASE_MS: '50' },
    });
    db = testPool(env.DATABASE_URL, 2);
  });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await db?.end();
    await receiver?.close();
    if (databaseName) await dropDatabase(databaseName);
    if (env && redis) await clearRedisPrefix(env.QUEUE_PREFIX);
  });

  it('delivers after the restart, with the same event id, and once successfully', async () => {
    // With Redis the first process works and the receiver holds its first request; without, it only serves the API.
    const first = await startHubProcess(redis ? env : { ...env, HUB_ROLE: 'api' });
    processes.push(first);
    const org = (await db.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
    const key = env.BOOTSTRAP_API_KEY;
    let held = redis;
    receiver.on('/kill', () => (held ? new Promise(() => undefined) : { status: 204 }));
    const sub = await http(first.url, 'POST', `/api/organizations/${org}/webhooks`, { key, body: { url: receiver.url('/kill'), events: ['integration.connected'] } });
    expect(sub.status).toBe(201);
    const queued = await http(first.url, 'POST', `/api/organizations/${org}/webhooks/${sub.body.id}/test`, { key });
    expect(queued.status).toBe(202);
    if (redis) await waitFor(async () => receiver.requests('/kill').length === 1);
    await first.stop('SIGKILL');
    const { status } = (await db.query('SELECT status FROM webhook_deliveries WHERE id = $1', [queued.body.id])).rows[0];
    expect(status).toBe(redis ? 'sending' : 'pending');
    held = false;

    const second = await startHubProcess(env);
    processes.push(second);
    const delivered = await waitFor(async () => {
      const row = (await db.query('SELECT status, attempts FROM webhook_deliveries WHERE id = $1', [queued.body.id])).rows[0];
      return row.status === 'succeeded' ? row : null;
    }, 30_000);
    expect(delivered.attempts).toBe(redis ? 2 : 1);
    const events = receiver.verified('/kill', sub.body.secret);
    expect(events.map((e) => e.id)).toEqual(redis ? [queued.body.event_id, queued.body.event_id] : [queued.body.event_id]);
    expect(events[0]).toMatchObject({ type: 'webhook.test', organization_id: org });
  });
});
