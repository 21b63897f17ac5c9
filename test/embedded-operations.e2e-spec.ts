import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from './support/http';
import { HubProcess, ROOT, runUntilExit, startHubProcess } from './support/process';

const CLI_JS = join(ROOT, 'dist', 'src', 'cli.js');
const KEY = `ihk_${'e'.repeat(43)}`;

/** Every path under `dir` whose mode lets group or others write (or read) it. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    // The running database creates and removes temporary files meanwhile: a path gone is no finding.
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if ((st.mode & 0o077) !== 0) found.push(`${path} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory() && existsSync(path)) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

/**
 * Issue 17, item 3: the embedded database (PGlite in DATA_DIR) is backed up while the hub runs, restored into another
 * DATA_DIR intact, never opened by two processes, kept from other users, and a stored secret the key ring cannot
 * open fails readiness.
 */
describe('embedded mode: backup, restore, lock, permissions', () => {
  const dirs: string[] = [];
  const hubs: HubProcess[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'hub-ops-'));
    dirs.push(d);
    return d;
  };
  const env = (d: string, extra: Record<string, string> = {}) => ({ DATA_DIR: d, PORT: '0', BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'info', ...extra });
  const cli = (d: string, ...args: string[]) => runUntilExit(env(d, { LOG_LEVEL: 'warn' }), 120_000, [CLI_JS, ...args]);
  const start = async (d: string) => {
    const hub = await startHubProcess(env(d), 120_000);
    hubs.push(hub);
    return hub;
  };
  afterAll(async () => {
    for (const hub of hubs) await hub.stop('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('backs up online, restores into another DATA_DIR intact, refuses a second process, takes over a stale lock', async () => {
    const first = dataDir();
    const hub = await start(first);
    const me = await http(hub.url, 'GET', '/api/users/@me', { key: KEY });
    const organizationId = me.body.organizations[0].id;
    const project = await http(hub.url, 'POST', `/api/organizations/${organizationId}/projects`, { key: KEY, body: { name: 'Backed up' } });
    expect(project.status).toBe(201);
    // A sealed secret: without SMTP the invite's mail waits in the outbox, its body sealed.
    const invite = await http(hub.url, 'POST', `/api/organizations/${organizationId}/invites`, { key: KEY, body: { email: 'later@example.test', role: 'member' } });
    expect(invite.status).toBe(201);

    // Only this user can read or write DATA_DIR: the directory, the database files, the key, the lock, the socket.
    expect(openToOthers(first)).toEqual([]);

    // A second hub, and a restore, are refused naming the holder; rotate-keys and admin go through the running hub.
    const second = await runUntilExit(env(first), 60_000);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`is in use by another Integrations Hub process (pid ${hub.child.pid})`);
    const restoreLive = await cli(first, 'restore', join(first, 'nothing'));
    expect(restoreLive.code).toBe(1);
    const rotate = await cli(first, 'rotate-keys');
    expect(rotate.output).toMatch(/outbox_emails\.body_text: \d+ re-sealed with key 'local1', \d+ already current/);
    expect(rotate.code).toBe(0);
    const orgs = await cli(first, 'admin', 'organizations');
    expect(orgs.code).toBe(0);
    expect(orgs.output).toContain(organizationId);
    // Recovery through the running hub: a key revoked by the CLI stops working at once.
    const spare = await http(hub.url, 'POST', '/api/personal_api_keys', { key: KEY, body: { label: 'spare', scopes: ['organization:read'] } });
    expect((await http(hub.url, 'GET', '/api/users/@me', { key: spare.body.value })).status).toBe(200);
    const revoked = await cli(first, 'admin', 'revoke-key', spare.body.id);
    expect(revoked.output).toContain(`revoked 1 key(s): ${spare.body.id}`);
    expect((await http(hub.url, 'GET', '/api/users/@me', { key: spare.body.value })).status).toBe(401);

    const file = join(dataDir(), 'hub.backup.tar.gz');
    const backup = await cli(first, 'backup', file);
    expect(backup.output).toContain(`backup taken by the running hub (pid ${hub.child.pid})`);
    expect(backup.code).toBe(0);
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    // Online: the hub kept serving.
    expect((await http(hub.url, 'GET', '/api/readyz')).status).toBe(200);
    await http(hub.url, 'POST', `/api/organizations/${organizationId}/projects`, { key: KEY, body: { name: 'After the backup' } });

    // Restore into another DATA_DIR with the generated key beside it: everything there, the secrets open.
    const other = dataDir();
    copyFileSync(join(first, 'encryption-keys'), join(other, 'encryption-keys'));
    const restored = await cli(other, 'restore', file);
    expect(restored.output).toContain('restored');
    expect(restored.code).toBe(0);
    const again = await cli(other, 'restore', file);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already holds a database');
    const copy = await start(other);
    const projects = await http(copy.url, 'GET', `/api/organizations/${organizationId}/projects`, { key: KEY });
    const names = (projects.body.results as Array<{ name: string }>).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Default project', 'Backed up']));
    expect(names).not.toContain('After the backup');
    const invites = await http(copy.url, 'GET', `/api/organizations/${organizationId}/invites`, { key: KEY });
    expect((invites.body.results as Array<{ email: string }>).map((i) => i.email)).toEqual(['later@example.test']);
    expect((await http(copy.url, 'GET', '/api/readyz')).body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok' });

    // Killed with -9: its lock stays behind, and the next start takes it over.
    await copy.stop('SIGKILL');
    expect(existsSync(join(other, 'pglite.lock'))).toBe(true);
    const next = await start(other);
    expect((await http(next.url, 'GET', '/api/users/@me', { key: KEY })).status).toBe(200);
    expect(readFileSync(join(other, 'pglite.lock'), 'utf8').split('\n')[0]).toBe(String(next.child.pid));
    await next.stop();
    // --force keeps the current database aside and replaces it.
    const forced = await cli(other, 'restore', file, '--force');
    expect(forced.code).toBe(0);
    expect(forced.output).toContain('the previous database is kept in');
    expect(readdirSync(other).some((name) => name.startsWith('pglite.before-restore-'))).toBe(true);
    await hub.stop();
    expect(existsSync(join(first, 'pglite.lock'))).toBe(false);
  });

  it('fails readiness, loudly, when the key ring cannot open the stored secrets', async () => {
    const source = dataDir();
    const hub = await start(source);
    const me = await http(hub.url, 'GET', '/api/users/@me', { key: KEY });
    await http(hub.url, 'POST', `/api/organizations/${me.body.organizations[0].id}/invites`, { key: KEY, body: { email: 'sealed@example.test', role: 'member' } });
    const file = join(dataDir(), 'b.tar.gz');
    expect((await cli(source, 'backup', file)).code).toBe(0);
    await hub.stop();

    // Restored without its key: the new DATA_DIR generates another one, which opens nothing stored.
    const keyless = dataDir();
    expect((await cli(keyless, 'restore', file)).code).toBe(0);
    const blind = await start(keyless);
    const ready = await http(blind.url, 'GET', '/api/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', database: 'ok', secrets: 'unreadable' });
    expect(ready.body.detail).toMatch(/stored secret\(s\) cannot be opened .*outbox_emails\.body_text 1/);
    expect(blind.output()).toMatch(/"level":50.*cannot be opened with the configured encryption keys/);
    await blind.stop();
  });
});
