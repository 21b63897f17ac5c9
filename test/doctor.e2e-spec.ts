import { join } from 'node:path';
import { KeyRing } from '../src/common/sealed-secrets';
import { closedPort, http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { ROOT, runUntilExit } from './support/process';

const CLI_JS = join(ROOT, 'dist', 'src', 'cli.js');

/** `npm run doctor` (dist/src/cli.js doctor) against a running hub's configuration, then that configuration broken. */
describe('doctor', () => {
  let t: TestHub;
  const doctor = (env: Record<string, string>) => runUntilExit(env, 60_000, [CLI_JS, 'doctor']);

  beforeAll(async () => {
    t = await startTestHub();
    // An invitation puts a sealed email body in the outbox: one stored secret to open.
    const invite = await http(t.url, 'POST', `/api/organizations/${t.organizationId}/invites`, { key: t.key, body: { email: 'doctor@example.test', role: 'member' } });
    expect(invite.status).toBe(201);
  });
  afterAll(() => t.close());

  it('passes a good configuration: database, Redis, every stored secret, SITE_URL reaching the hub', async () => {
    const run = await doctor({ ...t.env, SITE_URL: t.url });
    expect(run.output).toContain('[ok]   configuration: every variable is valid');
    expect(run.output).toMatch(/\[ok\] {3}database: PostgreSQL at 127\.0\.0\.1:\d+ answers/);
    expect(run.output).toMatch(/\[ok\] {3}redis: Redis at 127\.0\.0\.1:\d+ answers/);
    expect(run.output).toMatch(/\[ok\] {3}encryption keys: open all [1-9]\d* stored secret\(s\)/);
    expect(run.output).toContain(`[ok]   SITE_URL: ${t.url} reaches the hub`);
    expect(run.output).toContain('[note] provider slack: not configured; set SLACK_CLIENT_ID');
    expect(run.output).not.toContain('[FAIL]');
    expect(run.output).toMatch(/No problems found\.\n$/);
    expect(run.code).toBe(0);
  });

  it('reports what is wrong in a broken configuration and how to fix it, and exits 1', async () => {
    const port = await closedPort();
    const run = await doctor({
      ...t.env,
      // Another key than the one that sealed the outbox, an unreachable Redis, half a GitHub App and nobody at SITE_URL.
      ENCRYPTION_KEYS: KeyRing.generateSpec('other'),
      REDIS_URL: `redis://127.0.0.1:${port}`,
      GITHUB_APP_ID: '12345',
      SITE_URL: `http://127.0.0.1:${port}`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/\[ok\] {3}database: PostgreSQL/);
    expect(run.output).toContain(`[FAIL] redis: REDIS_URL: Redis at 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
    expect(run.output).toMatch(/\[FAIL\] encryption keys: [1-9]\d* stored secret\(s\) cannot be opened: outbox_emails\.body_text \d+ \(sealed value uses key 'test1', which is not in ENCRYPTION_KEYS\)/);
    expect(run.output).toContain('fix: Add the key that sealed them to ENCRYPTION_KEYS');
    expect(run.output).toContain('[FAIL] provider github: incomplete; GITHUB_APP_ID or GITHUB_APP_CLIENT_ID is set but GITHUB_APP_PRIVATE_KEY and GITHUB_APP_SLUG are not');
    expect(run.output).toContain(`[FAIL] SITE_URL: http://127.0.0.1:${port} is not reachable from here (ECONNREFUSED)`);
    expect(run.output).toMatch(/4 problem\(s\) found\.\n$/);
  });

  it('stops at an invalid setting with the same line start-up prints', async () => {
    const run = await doctor({ ...t.env, PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('[FAIL] configuration: PORT: must be an integer number, got "abc" (for example PORT=3000)');
    expect(run.output).not.toContain('database:');
  });
});
