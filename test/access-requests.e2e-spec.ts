import { KeyRing } from '../src/common/sealed-secrets';
import { MailService, outboxBodySealContext } from '../src/mail/mail.service';
import { IntegrationProvider } from '../src/integrations/integration.enums';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes, TestUser } from './support/identity';
import { eventually, freePort, startSmtp, TestSmtp } from './support/smtp';

/** `addUser` names users after the number in their email address. */
const nameOf = (user: TestUser) => `User ${/^user(\d+)\./.exec(user.email)?.[1]}`;
const path = (t: TestHub, suffix: string, projectId = t.projectId) => `/api/projects/${projectId}/integrations/${suffix}`;

async function outboxRows(t: TestHub, subjectLike: string): Promise<Array<Record<string, any>>> {
  const res = await t.db.query(
    `SELECT id, to_addresses AS "to", reply_to AS "replyTo", subject, body_text AS text, status, attempts, last_error AS "lastError", dedupe_key AS "dedupeKey"
       FROM outbox_emails WHERE subject LIKE $1 ORDER BY created_at`,
    [subjectLike],
  );
  const keyRing = new KeyRing(t.env.ENCRYPTION_KEYS);
  // Bodies are sealed at rest; open them the way the delivery job does.
  return res.rows.map((row: Record<string, any>) => {
    const { id, ...rest } = row;
    return { ...rest, text: keyRing.open(row.text, outboxBodySealContext(id)) };
  });
}

describe('Access requests', () => {
  let smtp: TestSmtp;
  let t: TestHub;
  let admin: TestUser;
  let member: TestUser;
  let otherMember: TestUser;

  let organizationId: string;
  let projectId: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestHub({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Hub <hub@example.test>' } });
  });
  // Every test gets its own organization (so its own owners and admins to email) and members: requests, their
  // emails and their dedupe keys never carry over from another test.
  beforeEach(async () => {
    ({ organizationId, projectId } = await addOrganization(t, 'Requests org'));
    admin = await addUser(t, 'admin', organizationId);
    member = await addUser(t, 'member', organizationId);
    otherMember = await addUser(t, 'member', organizationId);
  });
  const p = (suffix: string) => path(t, suffix, projectId);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const received = (subject: string) => smtp.messages.filter((m) => m.headers.subject === subject);

  it('sends invitations through the same outbox', async () => {
    const invited = [admin, member, otherMember].map((u) => u.email);
    const rows = (await outboxRows(t, '%invited you%')).filter((r) => invited.includes(r.to[0]));
    expect(rows).toHaveLength(3);
    // These invites were accepted at once: a mail whose delivery comes after the acceptance is not sent (issue 17).
    const settled = await eventually(async () => {
      const now = (await outboxRows(t, '%invited you%')).filter((r) => invited.includes(r.to[0]));
      return now.every((r) => r.status === 'sent' || (r.status === 'discarded' && r.lastError === 'not sent: invite already accepted')) ? now : undefined;
    });
    const sent = settled.filter((r) => r.status === 'sent').length;
    await eventually(async () => smtp.messages.filter((m) => /invited you/.test(m.headers.subject) && invited.includes(m.recipients[0])).length === sent);
  });

  it('emails every owner and admin except the requester, with the reason, a link and Reply-To the requester', async () => {
    const res = await http(t.url, 'POST', p('request_access/'), { key: member.key, body: { kind: 'github', reason: '  We want PR links on issues  ' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });

    const subject = `${nameOf(member)} requested the GitHub integration`;
    await eventually(async () => received(subject).length === 1);
    const [mail] = received(subject);
    expect(mail.recipients.sort()).toEqual(['owner@example.test', admin.email].sort());
    expect(mail.recipients).not.toContain(otherMember.email);
    expect(mail.headers['reply-to']).toBe(member.email);
    expect(mail.headers.from).toBe('Hub <hub@example.test>');
    expect(mail.body).toContain('We want PR links on issues');
    expect(mail.body).toContain(`http://hub.example.test/project/${projectId}/integrations/github`);

    const [row] = await outboxRows(t, subject);
    expect(row).toMatchObject({ replyTo: member.email, status: 'sent', dedupeKey: `access-request:${projectId}:github:${member.userId}` });
  });

  it('sends at most one email per project, kind and requester per day', async () => {
    expect((await http(t.url, 'POST', p('request_access'), { key: member.key, body: { kind: 'github', reason: 'First ask' } })).body).toEqual({ success: true });
    await eventually(async () => received(`${nameOf(member)} requested the GitHub integration`).length === 1);
    const again = await http(t.url, 'POST', p('request_access'), { key: member.key, body: { kind: 'github', reason: 'Pretty please' } });
    expect(again.body).toEqual({ success: true });
    const other = await http(t.url, 'POST', p('request_access'), { key: otherMember.key, body: { kind: 'github', reason: 'Me too' } });
    expect(other.body).toEqual({ success: true });
    const slack = await http(t.url, 'POST', p('request_access'), { key: member.key, body: { kind: 'slack', reason: 'Alerts' } });
    expect(slack.body).toEqual({ success: true });

    await eventually(async () => received(`${nameOf(otherMember)} requested the GitHub integration`).length === 1 && received(`${nameOf(member)} requested the Slack integration`).length === 1);
    // Every queued email has gone out: a second one for the repeated request would have been among them.
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_emails WHERE status NOT IN ('sent', 'discarded')`)).rows[0].n === 0);
    expect(received(`${nameOf(member)} requested the GitHub integration`)).toHaveLength(1);
    expect(await outboxRows(t, `${nameOf(member)} requested the GitHub integration`)).toHaveLength(1);

    const list = await http(t.url, 'GET', p('access_requests?status=pending'), { key: admin.key });
    expect(list.status).toBe(200);
    const mine = list.body.results.filter((r: { requested_by: { id: string } }) => r.requested_by.id === member.userId);
    // The repeated request updates the open one instead of piling up.
    expect(mine.map((r: { kind: string; reason: string }) => [r.kind, r.reason]).sort()).toEqual([['github', 'Pretty please'], ['slack', 'Alerts']]);
  });

  it('refuses owners and admins before looking at the body', async () => {
    for (const key of [t.key, admin.key]) {
      const res = await http(t.url, 'POST', p('request_access'), { key, body: { kind: 'nope' } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        type: 'authentication_error',
        code: 'members_only',
        detail: 'Only members can request access; admins can connect integrations directly.',
        attr: null,
      });
    }
  });

  it('requires integration:write, so read-only keys cannot send email', async () => {
    const readOnly = await keyWithScopes(t, ['integration:read'], member.key);
    const res = await http(t.url, 'POST', p('request_access'), { key: readOnly, body: { kind: 'github', reason: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe("API key missing required scope 'integration:write'");
  });

  // DRF's field errors as drf-exceptions-hog renders the first of them (code, detail, attr).
  it.each([
    ['an unsupported kind', { kind: 'myspace', reason: 'x' }, 'kind', 'invalid_choice', '"myspace" is not a valid choice.'],
    ['a missing kind', { reason: 'x' }, 'kind', 'required', 'This field is required.'],
    ['a blank reason', { kind: 'github', reason: '   ' }, 'reason', 'blank', 'This field may not be blank.'],
    ['a missing reason', { kind: 'github' }, 'reason', 'required', 'This field is required.'],
    ['a reason over 2000 characters', { kind: 'github', reason: 'x'.repeat(2001) }, 'reason', 'max_length', 'Ensure this field has no more than 2000 characters.'],
  ])('answers 400 in PostHog form for %s', async (_name, body, attr, code, detail) => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM outbox_emails')).rows[0].n;
    const res = await http(t.url, 'POST', p('request_access'), { key: member.key, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ type: 'validation_error', code, detail, attr });
    expect((await t.db.query('SELECT count(*)::int AS n FROM outbox_emails')).rows[0].n).toBe(before);
  });

  it('accepts a reason of exactly 2000 characters', async () => {
    const res = await http(t.url, 'POST', p('request_access'), { key: member.key, body: { kind: 'jira', reason: 'y'.repeat(2000) } });
    expect(res.status).toBe(200);
  });

  it('lets only owners and admins list and resolve requests', async () => {
    expect((await http(t.url, 'POST', p('request_access'), { key: member.key, body: { kind: 'jira', reason: 'Issues' } })).status).toBe(200);
    expect((await http(t.url, 'GET', p('access_requests'), { key: member.key })).status).toBe(403);
    const list = await http(t.url, 'GET', p('access_requests'), { key: t.key });
    const jira = list.body.results.find((r: { kind: string }) => r.kind === 'jira');
    expect(jira).toMatchObject({ status: 'pending', requested_by: { id: member.userId, email: member.email, name: nameOf(member) }, resolved_by: null });

    expect((await http(t.url, 'POST', p(`access_requests/${jira.id}/resolve`), { key: member.key, body: { status: 'dismissed' } })).status).toBe(403);
    const bad = await http(t.url, 'POST', p(`access_requests/${jira.id}/resolve`), { key: admin.key, body: { status: 'pending' } });
    expect(bad.status).toBe(400);
    expect(bad.body.attr).toBe('status');

    const resolved = await http(t.url, 'POST', p(`access_requests/${jira.id}/resolve`), { key: admin.key, body: { status: 'dismissed', note: ' not now ' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: jira.id, status: 'dismissed', note: 'not now', resolved_by: admin.userId });
    expect(resolved.body.resolved_at).toEqual(expect.any(String));

    const twice = await http(t.url, 'POST', p(`access_requests/${jira.id}/resolve`), { key: admin.key, body: { status: 'approved' } });
    expect(twice.status).toBe(409);
    const missing = await http(t.url, 'POST', p('access_requests/00000000-0000-4000-8000-000000000000/resolve'), { key: admin.key, body: { status: 'approved' } });
    expect(missing.status).toBe(404);

    const dismissed = await http(t.url, 'GET', p('access_requests?status=dismissed'), { key: admin.key });
    expect(dismissed.body.results.map((r: { id: string }) => r.id)).toEqual([jira.id]);
    expect((await http(t.url, 'GET', p('access_requests?status=bogus'), { key: admin.key })).status).toBe(400);
  });

  it('approves open requests of a kind when that integration is connected and emails the requesters', async () => {
    for (const [who, kind] of [[member, 'github'], [otherMember, 'github'], [member, 'slack']] as const) {
      expect((await http(t.url, 'POST', p('request_access'), { key: who.key, body: { kind, reason: 'Please' } })).status).toBe(200);
    }
    // Connecting GitHub to a project over HTTP takes GitHub's install flow (a fake GitHub, a user OAuth code);
    // the approval under test follows any new integration row, so the test writes one through the service.
    await t.hub.app.get(IntegrationsService).upsert({
      organizationId,
      projectId,
      provider: IntegrationProvider.Github,
      externalAccountId: '4242',
      displayName: 'acme',
      createdBy: admin.userId,
    });
    const list = await http(t.url, 'GET', p('access_requests?status=approved'), { key: admin.key });
    const approved = list.body.results.filter((r: { kind: string }) => r.kind === 'github');
    expect(approved.map((r: { requested_by: { id: string } }) => r.requested_by.id).sort()).toEqual([member.userId, otherMember.userId].sort());
    expect(approved[0]).toMatchObject({ status: 'approved', resolved_by: admin.userId });
    const slack = (await http(t.url, 'GET', p('access_requests?status=pending'), { key: admin.key })).body.results;
    expect(slack.map((r: { kind: string }) => r.kind)).toEqual(['slack']);

    const subject = 'The GitHub integration you requested is connected';
    await eventually(async () => received(subject).length === 2);
    expect(received(subject).flatMap((m) => m.recipients).sort()).toEqual([member.email, otherMember.email].sort());
    expect(received(subject)[0].body).toContain(`/project/${projectId}/integrations/github`);
  });
});

describe('Access request email when SMTP is down, then up', () => {
  it('keeps the message through the outage and delivers it exactly once after recovery', async () => {
    const port = await freePort();
    const t = await startTestHub({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_DELIVERY_ATTEMPTS: '2', MAIL_RETRY_BACKOFF_MS: '100', MAIL_SWEEP_INTERVAL_SECONDS: '1' },
    });
    let smtp: TestSmtp | undefined;
    try {
      const member = await addUser(t, 'member');
      const res = await http(t.url, 'POST', path(t, 'request_access'), { key: member.key, body: { kind: 'slack', reason: 'Alerts in #ops' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      const subject = `${nameOf(member)} requested the Slack integration`;
      // Several failed attempts: the first job gives up, the sweeper queues the row again, and that fails too.
      const failing = await eventually(async () => {
        const [row] = await outboxRows(t, subject);
        return row && row.attempts >= 3 ? row : undefined;
      });
      expect(failing.status).toBe('unsent');
      expect((await t.db.query(`SELECT last_error FROM outbox_emails WHERE subject = $1`, [subject])).rows[0].last_error).toMatch(/ECONNREFUSED/);

      smtp = await startSmtp(port);
      await eventually(async () => (await outboxRows(t, subject))[0].status === 'sent', 20_000);
      // Two more sweeps, run here rather than waited for on the sweeper's timer (the invitation sent during the
      // outage may still be queued again by them), then the outbox drains: the request's email went out once.
      const mail = t.hub.app.get(MailService);
      await mail.sweep();
      await mail.sweep();
      await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_emails WHERE status NOT IN ('sent', 'discarded')`)).rows[0].n === 0, 20_000);
      const delivered = smtp.messages.filter((m) => m.headers.subject === subject);
      expect(delivered).toHaveLength(1);
      expect(delivered[0].recipients).toEqual(['owner@example.test']);
      expect(delivered[0].headers['reply-to']).toBe(member.email);
      expect(delivered[0].body).toContain('Alerts in #ops');
    } finally {
      await t.close();
      await smtp?.close();
    }
  });
});

describe('Access requests without SMTP', () => {
  it('keeps the message in the outbox, unsent, and still succeeds', async () => {
    const t = await startTestHub();
    try {
      const member = await addUser(t, 'member');
      const res = await http(t.url, 'POST', path(t, 'request_access'), { key: member.key, body: { kind: 'teams', reason: 'Standups' } });
      expect(res.body).toEqual({ success: true });
      const rows = await outboxRows(t, '%requested the Microsoft Teams integration');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ to: ['owner@example.test'], replyTo: member.email, status: 'unsent', attempts: 0 });
      expect(rows[0].text).toContain('Standups');
    } finally {
      await t.close();
    }
  });
});
