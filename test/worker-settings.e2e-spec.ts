import { waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { startSmtp, TestSmtp } from './support/smtp';

/** A worker lacking a setting the API replicas queue work with says so, instead of completing the job undone. */
describe('a worker started without SMTP_URL', () => {
  let smtp: TestSmtp;
  let api: TestHub;
  let worker: TestHub;

  beforeAll(async () => {
    smtp = await startSmtp();
    api = await startTestHub({ env: { HUB_ROLE: 'api', SMTP_URL: smtp.url } });
    worker = await startTestHub({
      databaseName: api.databaseName,
      queuePrefix: api.env.QUEUE_PREFIX,
      env: { HUB_ROLE: 'worker', ENCRYPTION_KEYS: api.env.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: api.key, MAIL_RETRY_BACKOFF_MS: '100' },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  it('fails the delivery job with an error naming SMTP_URL and leaves the email unsent in the outbox', async () => {
    const invite = await http(api.url, 'POST', `/api/organizations/${api.organizationId}/invites`, { key: api.key, body: { email: 'later@example.test', role: 'member' } });
    expect(invite.status).toBe(201);
    const row = await waitFor(async () => {
      const r = (await api.db.query(`SELECT status, last_error FROM outbox_emails WHERE 'later@example.test' = ANY(to_addresses)`)).rows[0];
      return r?.last_error ? r : null;
    }, 15_000);
    expect(row.status).toBe('unsent');
    expect(row.last_error).toMatch(/SMTP_URL is not set in this worker process/);
    expect(smtp.messages).toHaveLength(0);
  });
});
