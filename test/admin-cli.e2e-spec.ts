import { join } from 'node:path';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';
import { ROOT, runUntilExit } from './support/process';

const CLI_JS = join(ROOT, 'dist', 'src', 'cli.js');

/** Issue 17, item 4: recovery without a key, against a running hub on PostgreSQL (the embedded case: embedded-operations). */
describe('admin CLI against a running hub', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { API_KEY_CACHE_SECONDS: '0' } });
  });
  afterAll(async () => t?.close());

  const cli = (...args: string[]) => runUntilExit({ ...t.env, LOG_LEVEL: 'warn' }, 60_000, [CLI_JS, 'admin', ...args]);

  it('lists organizations and users, recovers a lost owner key, revokes keys', async () => {
    const second = await addOrganization(t, 'Second');
    const member = await addUser(t, 'member');

    const orgs = await cli('organizations');
    expect(orgs.code).toBe(0);
    expect(orgs.output).toContain(`${t.organizationId}\tDefault organization\t2\t`);
    expect(orgs.output).toContain(`${second.organizationId}\tSecond\t1\t`);
    const users = await cli('users', '--organization', t.organizationId);
    expect(users.output).toContain(`${t.userId}\towner@example.test\t`);
    expect(users.output).toContain(member.email);

    // The bootstrap key is lost: a new owner key, printed once, works against the running hub at once.
    const ambiguous = await cli('owner-key', 'owner@example.test');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.output).toContain('owns 2 organizations: choose one with --organization <id>');
    const recovered = await cli('owner-key', 'owner@example.test', '--organization', t.organizationId);
    expect(recovered.code).toBe(0);
    const value = /API key \(shown once, store it now\): (ihk_[A-Za-z0-9_-]{43})/.exec(recovered.output)?.[1] as string;
    expect(value).toBeDefined();
    const me = await http(t.url, 'GET', '/api/users/@me', { key: value });
    expect(me.status).toBe(200);
    expect(me.body.scopes).toEqual(['*']);
    expect((await http(t.url, 'GET', '/api/integrations', { key: value })).status).toBe(200);
    expect((await cli('owner-key', member.email)).output).toContain('owns no organization');

    const keys = await cli('keys', 'owner@example.test');
    const bootstrapId = keys.output.split('\n').find((l) => l.includes('Bootstrap key'))?.split('\t')[0] as string;
    expect(bootstrapId).toMatch(/^[0-9a-f-]{36}$/);
    const revoked = await cli('revoke-key', bootstrapId);
    expect(revoked.code).toBe(0);
    expect(revoked.output).toContain(`revoked 1 key(s): ${bootstrapId}`);
    expect((await http(t.url, 'GET', '/api/users/@me', { key: t.key })).status).toBe(401);
    expect((await cli('revoke-key', bootstrapId)).code).toBe(1);

    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?actor=${t.userId}`, { key: value });
    const cliEntries = audit.body.results.filter((e: { key_id: string }) => e.key_id === 'cli');
    expect(cliEntries.map((e: { action: string }) => e.action).sort()).toEqual(['personal_api_key.create', 'personal_api_key.revoke']);
    expect(audit.text).not.toContain(value);

    const all = await cli('revoke-keys', member.email);
    expect(all.output).toMatch(/revoked 1 key\(s\)/);
    expect((await http(t.url, 'GET', '/api/users/@me', { key: member.key })).status).toBe(401);
    expect((await cli('nonsense')).code).toBe(2);
  });
});
