import { createServer, type Socket } from 'node:net';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addUser } from './support/identity';
import { eventually, freePort, startSmtp, TestSmtp } from './support/smtp';

/**
 * Issue 17, item 4: the outbox for owners and admins (status and attempts, retry, discard, never the bodies), and
 * mail that is no longer relevant when SMTP finally comes up is not sent.
 */
describe('outbox administration and stale mail', () => {
  let t: TestHub;
  let smtp: TestSmtp | undefined;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await startTestHub({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_DELIVERY_ATTEMPTS: '1', MAIL_RETRY_BACKOFF_MS: '100', MAIL_SWEEP_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const outbox = (query = '', key = t.key) => http(t.url, 'GET', `/api/organizations/${t.organizationId}/outbox${query}`, { key });
  const invite = async (email: string) => {
    const res = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: t.key, body: { email, role: 'member' } });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string };
  };
  const rowFor = async (email: string) => (await outbox('?limit=100')).body.results.find((r: { to: string[] }) => r.to.includes(email));

  it('lists, discards and retries without ever returning a body; stale mail is dropped when SMTP comes up', async () => {
    // While SMTP is down: an invite accepted, one revoked, one expired, one discarded by an admin, one still good,
    // and an access request resolved before its notice could go out.
    const accepted = await addUser(t, 'admin');
    const revoked = await invite('revoked@example.test');
    expect((await http(t.url, 'DELETE', `/api/organizations/${t.organizationId}/invites/${revoked.id}`, { key: t.key })).status).toBe(204);
    const expired = await invite('expired@example.test');
    await t.db.query(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    const unwanted = await invite('unwanted@example.test');
    const good = await invite('good@example.test');
    const member = await addUser(t, 'member');
    const requested = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/request_access`, { key: member.key, body: { kind: 'slack', reason: 'Alerts' } });
    expect(requested.status).toBe(200);
    const requests = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/access_requests`, { key: t.key });
    const request = requests.body.results[0];
    expect((await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/access_requests/${request.id}/resolve`, { key: t.key, body: { status: 'dismissed' } })).status).toBe(200);

    // Failed attempts are visible, with the error; bodies (and the invite tokens in them) never are.
    await eventually(async () => ((await rowFor('good@example.test'))?.attempts ?? 0) >= 1);
    const listed = await outbox();
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ limit: 100, offset: 0 });
    const goodRow = await rowFor('good@example.test');
    expect(goodRow).toMatchObject({ status: 'unsent', about: `invite:${good.id}`, subject: expect.stringContaining('invited you') });
    expect(goodRow.last_error).toMatch(/ECONNREFUSED/);
    for (const token of [good.token, unwanted.token, revoked.token, expired.token]) expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain('"text"');
    expect(listed.text).not.toContain('body');
    expect((await outbox('?status=unsent')).body.results.every((r: { status: string }) => r.status === 'unsent')).toBe(true);

    // Owners and admins (MANAGE_ORGANISATION) only; another organization's mail is not found.
    expect((await outbox('', member.key)).status).toBe(403);
    expect((await outbox('', accepted.key)).status).toBe(200);
    const unwantedRow = await rowFor('unwanted@example.test');
    const discarded = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/outbox/${unwantedRow.id}/discard`, { key: accepted.key });
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', last_error: `discarded by ${accepted.email}` });
    expect((await http(t.url, 'POST', `/api/organizations/${t.organizationId}/outbox/00000000-0000-4000-8000-000000000000/retry`, { key: t.key })).status).toBe(404);

    smtp = await startSmtp(port);
    await eventually(async () => (await rowFor('good@example.test')).status === 'sent', 20_000);
    const stale = await eventually(async () => {
      const rows = (await outbox()).body.results as Array<{ to: string[]; status: string; last_error: string; subject: string }>;
      const dropped = rows.filter((r) => r.status === 'discarded' && r.last_error?.startsWith('not sent'));
      return dropped.length >= 4 ? dropped : undefined;
    }, 20_000);
    expect(stale.map((r) => r.last_error).sort()).toEqual(
      expect.arrayContaining(['not sent: access request already dismissed', 'not sent: invite already accepted', 'not sent: invite expired', 'not sent: invite revoked']),
    );
    const recipients = smtp.messages.flatMap((m) => m.recipients);
    expect(recipients).toContain('good@example.test');
    for (const email of [accepted.email, member.email, 'revoked@example.test', 'expired@example.test', 'unwanted@example.test']) expect(recipients).not.toContain(email);
    expect(smtp.messages.some((m) => (m.headers.subject ?? '').includes('requested the Slack integration'))).toBe(false);

    // A sent mail can be neither retried nor discarded; a discarded one can be retried (and is checked again).
    const sent = await rowFor('good@example.test');
    expect((await http(t.url, 'POST', `/api/organizations/${t.organizationId}/outbox/${sent.id}/retry`, { key: t.key })).status).toBe(409);
    expect((await http(t.url, 'POST', `/api/organizations/${t.organizationId}/outbox/${sent.id}/discard`, { key: t.key })).status).toBe(409);
    const retried = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/outbox/${unwantedRow.id}/retry`, { key: t.key });
    expect(retried.status).toBe(200);
    await eventually(async () => (await rowFor('unwanted@example.test')).status === 'sent', 20_000);
    expect(smtp.messages.flatMap((m) => m.recipients)).toContain('unwanted@example.test');

    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?target=outbox_email:${unwantedRow.id}`, { key: t.key });
    expect(audit.body.results.map((e: { action: string }) => e.action).sort()).toEqual(['outbox_email.discard', 'outbox_email.retry']);
  });
});

/**
 * The outbox test above raced its own SMTP retries: an attempt that read the email before an admin discarded it
 * failed afterwards and wrote its error over the discard's reason. Here the attempt is held open on purpose (a server
 * that accepts and never greets) while the email is discarded, then fails.
 */
describe('a delivery attempt that fails after its email was discarded', () => {
  it('leaves the email discarded, with who discarded it, and counts the failure', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const hub = await startTestHub({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_DELIVERY_ATTEMPTS: '1' } });
    const failures = async () => {
      const text = await fetch(`${hub.url}/api/metrics`, { headers: { authorization: `Bearer ${hub.env.METRICS_TOKEN}` } }).then((r) => r.text());
      return Number(/^hub_mail_deliveries_total\{outcome="failed"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    try {
      const invited = await http(hub.url, 'POST', `/api/organizations/${hub.organizationId}/invites`, { key: hub.key, body: { email: 'held@example.test', role: 'member' } });
      expect(invited.status).toBe(201);
      // The attempt is in flight: connected, waiting for a greeting that never comes.
      await eventually(async () => held.length >= 1);
      const rows = await http(hub.url, 'GET', `/api/organizations/${hub.organizationId}/outbox`, { key: hub.key });
      const row = rows.body.results.find((r: { to: string[] }) => r.to.includes('held@example.test'));
      const discarded = await http(hub.url, 'POST', `/api/organizations/${hub.organizationId}/outbox/${row.id}/discard`, { key: hub.key });
      expect(discarded.body).toMatchObject({ status: 'discarded', last_error: 'discarded by owner@example.test', attempts: 0 });
      const before = await failures();
      for (const socket of held) socket.destroy();
      await eventually(async () => (await failures()) > before);
      const after = await http(hub.url, 'GET', `/api/organizations/${hub.organizationId}/outbox`, { key: hub.key });
      expect(after.body.results.find((r: { id: string }) => r.id === row.id)).toMatchObject({ status: 'discarded', last_error: 'discarded by owner@example.test', attempts: 0 });
    } finally {
      await hub.close();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
