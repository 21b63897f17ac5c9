import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { KeyRing } from '../src/common/sealed-secrets';
import { EventOutboxService } from '../src/events/event-outbox.service';
import { WebhookEventType } from '../src/events/events.enums';
import { secretSealContext } from '../src/events/webhook-secrets';
import { waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';
import { startSmtp, TestSmtp } from './support/smtp';
import { receivedEvent, startWebhookReceiver, subscribe, WebhookReceiver } from './support/webhook-receiver';

describe('events out: subscriptions, delivery, retries, replay', () => {
  let t: TestHub;
  let receiver: WebhookReceiver;
  let smtp: TestSmtp;
  const hooks = (path = '', org = t.organizationId) => `/api/organizations/${org}/webhooks${path}`;
  const call = (method: string, path: string, body?: unknown, key = t.key) => http(t.url, method, hooks(path), { key, body });
  const deliveries = async (id: string) => (await call('GET', `/${id}/deliveries`)).body.results;
  const sendTest = async (id: string) => {
    const res = await call('POST', `/${id}/test`);
    expect(res.status).toBe(202);
    return res.body;
  };

  beforeAll(async () => {
    [receiver, smtp] = await Promise.all([startWebhookReceiver(), startSmtp()]);
    t = await startTestHub({ env: { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_SWEEP_INTERVAL_MS: '200', SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('creates, lists, updates and deletes subscriptions; the secret is shown once and sealed; changes are audited', async () => {
    const created = await call('POST', '', { url: receiver.url('/crud'), events: ['integration.connected', 'scan.completed'], description: 'Billing' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: receiver.url('/crud'),
      events: ['integration.connected', 'scan.completed'],
      description: 'Billing',
      enabled: true,
      disabled_reason: null,
      previous_secret_expires_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const { id, secret } = created.body;
    const row = (await t.db.query('SELECT sealed_secret FROM webhook_subscriptions WHERE id = $1', [id])).rows[0];
    expect(row.sealed_secret).toMatch(/^v1\./);
    expect(row.sealed_secret).not.toContain(secret.slice(6, 20));

    const listed = await call('GET', '');
    expect(listed.body.results.map((s: { id: string }) => s.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify((await call('GET', `/${id}`)).body)).not.toContain(secret);

    const patched = await call('PATCH', `/${id}`, { events: ['scan.failed'], enabled: false, description: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['scan.failed'], enabled: false, description: null });
    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect((await call('GET', `/${id}`)).status).toBe(404);

    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?target=webhook:${id}`, { key: t.key });
    expect(audit.body.results.map((e: { action: string }) => e.action).sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.update']);
  });

  it('refuses bad input with 400, members and missing scopes with 403, and other organizations with 404', async () => {
    const bad = await call('POST', '', { url: 'ftp://example.test/x', events: ['integration.connected'] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('WEBHOOK_URL_INVALID');
    expect((await call('POST', '', { url: receiver.url('/x'), events: ['no.such_event'] })).status).toBe(400);
    expect((await call('POST', '', { url: receiver.url('/x'), events: [] })).status).toBe(400);
    expect((await call('POST', '', { url: 'http://user:pw@127.0.0.1/x', events: ['scan.completed'] })).body.code).toBe('WEBHOOK_URL_INVALID');
    expect((await call('POST', '', { url: receiver.url('/x'), events: ['webhook.test'] })).status).toBe(400);
    expect((await call('POST', '', { url: receiver.url('/x'), events: ['scan.completed'], secret: 'mine' })).status).toBe(400);

    const member = await addUser(t, 'member');
    expect((await call('GET', '', undefined, member.key)).status).toBe(403);
    const readOnly = await keyWithScopes(t, ['integration:read']);
    expect((await call('GET', '', undefined, readOnly)).status).toBe(200);
    const denied = await call('POST', '', { url: receiver.url('/x'), events: ['scan.completed'] }, readOnly);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("'integration:write'");

    const { id } = await subscribe(t, receiver.url('/mine'), ['scan.completed']);
    const other = await addOrganization(t, 'Webhook neighbours');
    expect((await http(t.url, 'GET', hooks(`/${id}`, other.organizationId), { key: t.key })).status).toBe(404);
    expect((await http(t.url, 'POST', hooks(`/${id}/test`, other.organizationId), { key: t.key })).status).toBe(404);
    expect((await call('GET', '/not-a-uuid')).status).toBe(404);
  });

  it('sends webhook.test signed the Standard Webhooks way, and logs the delivery', async () => {
    const { id, secret } = await subscribe(t, receiver.url('/test'), ['integration.connected']);
    const queued = await sendTest(id);
    expect(queued).toMatchObject({ event_type: 'webhook.test', event_id: expect.stringMatching(/^evt_\d+$/) });
    const event = await receivedEvent(receiver, '/test', secret, (e) => e.type === 'webhook.test');
    expect(event).toEqual({ id: queued.event_id, type: 'webhook.test', timestamp: expect.any(String), organization_id: t.organizationId, data: { subscription_id: id, requested_by: t.userId } });
    const [req] = receiver.requests('/test');
    expect(req.headers['webhook-id']).toBe(queued.event_id);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const [logged] = await waitFor(async () => {
      const list = await deliveries(id);
      return list[0]?.status === 'succeeded' ? list : null;
    });
    expect(logged).toMatchObject({ id: queued.id, status: 'succeeded', attempts: 1, response_status: 204, last_error: null, next_attempt_at: null });
    expect(logged.response_time_ms).toBeGreaterThanOrEqual(0);
  });

  it('a receiver that fails three times (500, 429 with Retry-After, a timeout) then succeeds gets exactly one successful delivery', async () => {
    receiver.on('/flaky', (n) => {
      if (n === 1) return { status: 500 };
      if (n === 2) return { status: 429, headers: { 'retry-after': '1' } };
      if (n === 3) return new Promise(() => undefined); // never answers: the hub's timeout
      return { status: 200, json: { ok: true } };
    });
    const { id, secret } = await subscribe(t, receiver.url('/flaky'), ['integration.connected']);
    const queued = await sendTest(id);
    const done = await waitFor(async () => {
      const [d] = await deliveries(id);
      return d?.status === 'succeeded' ? d : null;
    }, 20_000);
    expect(done).toMatchObject({ attempts: 4, response_status: 200 });
    const requests = receiver.requests('/flaky');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([queued.event_id]));
    expect(receiver.verified('/flaky', secret)).toHaveLength(4);
    // Retry-After: 1 was honoured between the second and third attempts.
    const at = (i: number) => Number(requests[i].headers['webhook-timestamp']);
    expect(at(2) - at(1)).toBeGreaterThanOrEqual(1);
    // No further attempt once one succeeded.
    await sendTest(id);
    await waitFor(async () => receiver.requests('/flaky').length === 5);
    expect((await deliveries(id)).find((d: { id: string }) => d.id === queued.id).attempts).toBe(4);
  });

  it('stops at a 4xx other than 408/429, and replays on request with the same event id', async () => {
    let gone = true;
    receiver.on('/gone', () => ({ status: gone ? 410 : 200 }));
    const { id, secret } = await subscribe(t, receiver.url('/gone'), ['integration.connected']);
    const queued = await sendTest(id);
    const failed = await waitFor(async () => {
      const [d] = await deliveries(id);
      return d?.status === 'failed' ? d : null;
    });
    expect(failed).toMatchObject({ attempts: 1, response_status: 410, last_error: 'HTTP 410: not retried', next_attempt_at: null });
    gone = false;
    const replay = await call('POST', `/${id}/deliveries/${queued.id}/retry`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: queued.id, event_id: queued.event_id });
    await waitFor(async () => (await deliveries(id))[0]?.status === 'succeeded');
    expect(receiver.verified('/gone', secret).map((e) => e.id)).toEqual([queued.event_id, queued.event_id]);
    expect((await call('POST', `/${id}/deliveries/00000000-0000-4000-8000-000000000000/retry`)).status).toBe(404);
  });

  it('rolling the secret signs with both during the grace period, and only with the new one after', async () => {
    const { id, secret: oldSecret } = await subscribe(t, receiver.url('/roll'), ['integration.connected']);
    const rolled = await call('POST', `/${id}/roll-secret`, { grace_period_seconds: 3600 });
    expect(rolled.status).toBe(200);
    expect(rolled.body.secret).toMatch(/^whsec_/);
    expect(rolled.body.secret).not.toBe(oldSecret);
    expect(Date.parse(rolled.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(3500_000);
    const first = await sendTest(id);
    await waitFor(async () => receiver.requests('/roll').length === 1);
    expect(receiver.verified('/roll', oldSecret).map((e) => e.id)).toEqual([first.event_id]);
    expect(receiver.verified('/roll', rolled.body.secret).map((e) => e.id)).toEqual([first.event_id]);

    const again = await call('POST', `/${id}/roll-secret`, { grace_period_seconds: 0 });
    expect(again.body.previous_secret_expires_at).toBeNull();
    await sendTest(id);
    await waitFor(async () => receiver.requests('/roll').length === 2);
    const latest = receiver.requests('/roll')[1];
    const headers = latest.headers as Record<string, string>;
    expect(new Webhook(again.body.secret).verify(latest.body, headers)).toMatchObject({ type: 'webhook.test' });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => new Webhook(rolled.body.secret).verify(latest.body, headers)).toThrow('No matching signature found');
    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?action=webhook.roll_secret&target=webhook:${id}`, { key: t.key });
    expect(audit.body.count).toBe(2);
  });

  it('a rolled-back change sends nothing, the next committed one is sent', async () => {
    const { id, secret } = await subscribe(t, receiver.url('/rollback'), ['integration.updated']);
    const outbox = t.hub.app.get(EventOutboxService);
    let rolledBackId = '';
    await expect(
      t.hub.app.get(DataSource).transaction(async (tx) => {
        await tx.query(`UPDATE organizations SET name = name || ' (renamed)' WHERE id = $1`, [t.organizationId]);
        rolledBackId = await outbox.record(tx, { type: WebhookEventType.IntegrationUpdated, organizationId: t.organizationId, payload: { integration: { id: '1' } } });
        throw new Error('the change fails after its event was recorded');
      }),
    ).rejects.toThrow('the change fails');
    const committedId = await t.hub.app.get(DataSource).transaction((tx) =>
      outbox.record(tx, { type: WebhookEventType.IntegrationUpdated, organizationId: t.organizationId, payload: { integration: { id: '2' } } }),
    );
    await receivedEvent(receiver, '/rollback', secret, (e) => e.id === committedId);
    expect(receiver.verified('/rollback', secret).map((e) => e.id)).toEqual([committedId]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM webhook_events WHERE id = $1', [rolledBackId])).rows[0].n).toBe(0);
    expect((await deliveries(id)).map((d: { event_id: string }) => d.event_id)).toEqual([committedId]);
  });

  it('disables a subscription that has failed for days and emails webhook.disabled to the admins', async () => {
    receiver.on('/down', () => ({ status: 503 }));
    const { id } = await subscribe(t, receiver.url('/down'), ['integration.connected']);
    // Six days of failures so far (the default threshold is five).
    await t.db.query(`UPDATE webhook_subscriptions SET failing_since = now() - interval '6 days' WHERE id = $1`, [id]);
    const mailBefore = smtp.messages.length;
    await sendTest(id);
    const disabled = await waitFor(async () => {
      const s = (await call('GET', `/${id}`)).body;
      return s.enabled === false ? s : null;
    });
    expect(disabled.disabled_reason).toContain('failed for 120 hours');
    const [mail] = (await smtp.waitFor(mailBefore + 1)).slice(mailBefore);
    expect(mail.recipients).toContain('owner@example.test');
    expect(mail.headers.subject).toContain('[webhook.disabled]');
    expect(mail.body).toContain(id);
    const [d] = await deliveries(id);
    expect(d.status).toBe('failed');
    expect((await call('POST', `/${id}/test`)).body.code).toBe('WEBHOOK_DISABLED');
    expect((await call('PATCH', `/${id}`, { enabled: true })).body).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('exports delivery metrics: attempts by outcome, latency, change-to-first-attempt, backlog', async () => {
    const metrics = (await http(t.url, 'GET', '/api/metrics', { key: t.env.METRICS_TOKEN })).text;
    const value = (line: RegExp) => Number((metrics.match(line) ?? [])[1] ?? NaN);
    expect(value(/^hub_webhook_deliveries_total\{outcome="succeeded"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^hub_webhook_deliveries_total\{outcome="retried"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^hub_webhook_deliveries_total\{outcome="failed"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^hub_webhook_delivery_duration_seconds_count\{outcome="succeeded"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^hub_webhook_first_attempt_delay_seconds_count (\d+)/m)).toBeGreaterThan(0);
    expect(metrics).toMatch(/^hub_webhook_backlog\{status="pending"\} \d+/m);
  });
});

describe('events out: the outbound guard (production settings)', () => {
  let t: TestHub;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestHub({ env: { NODE_ENV: 'production', OUTBOUND_ALLOW_PRIVATE: 'false', WEBHOOK_RETRY_BASE_MS: '50' } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const create = (url: string) => http(t.url, 'POST', `/api/organizations/${t.organizationId}/webhooks`, { key: t.key, body: { url, events: ['scan.completed'] } });

  it('refuses http in production, and private, loopback and metadata addresses (also behind a name)', async () => {
    const plain = await create('http://hooks.example.com/x');
    expect(plain.status).toBe(400);
    expect(plain.body).toMatchObject({ code: 'WEBHOOK_URL_INVALID', message: 'url must use https' });
    for (const url of ['https://127.0.0.1:8443/x', 'https://169.254.169.254/latest/meta-data', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://localhost/x']) {
      const res = await create(url);
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    }
    expect((await t.db.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n).toBe(0);
  });

  it('refuses at delivery time too: an endpoint that now resolves to a private address gets nothing', async () => {
    // As if the name resolved to a public address when the subscription was made (DNS rebinding).
    const id = '5b0c6a3e-7a6c-4b8e-9d7e-0c1f2a3b4c5d';
    const sealed = t.hub.app.get(KeyRing).seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', secretSealContext(id));
    await t.db.query(`INSERT INTO webhook_subscriptions (id, organization_id, url, event_types, sealed_secret) VALUES ($1, $2, $3, '{scan.completed}', $4)`, [
      id,
      t.organizationId,
      receiver.url('/private'),
      sealed,
    ]);
    const queued = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/webhooks/${id}/test`, { key: t.key });
    expect(queued.status).toBe(202);
    const failed = await waitFor(async () => {
      const [d] = (await http(t.url, 'GET', `/api/organizations/${t.organizationId}/webhooks/${id}/deliveries`, { key: t.key })).body.results;
      return d?.status === 'failed' ? d : null;
    });
    expect(failed.last_error).toMatch(/refused: private, loopback/);
    expect(failed.attempts).toBe(1);
    expect(receiver.requests('/private')).toHaveLength(0);
  });
});
