import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './support/http';
import { TEST_DATABASE_URL } from './support/hub-harness';
import { runUntilExit } from './support/process';

const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$/m;
/** Errors that retrying cannot fix exit before the framework has even loaded. */
const AT_ONCE_MS = 5000;

/** The built service (`node dist/src/main.js`) started the way a self-hoster would, with one setting wrong. */
describe('start-up with a wrong setting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-startup-'));
  const start = (env: Record<string, string>, timeoutMs?: number) => runUntilExit({ DATA_DIR: dataDir, PORT: '0', ...env }, timeoutMs);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('PORT=abc: one line naming the variable, the value and a good value; exit 1 at once', async () => {
    const run = await start({ PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('PORT: must be an integer number, got "abc" (for example PORT=3000)');
    // One message, not three contradictory ones.
    expect(run.output.match(/PORT/g)).toHaveLength(2);
    expect(run.output).not.toMatch(/greater than|less than/);
    expect(run.output).toMatch(/\nFix the setting\(s\) above .*and start again\.\n$/);
    expect(run.output).not.toMatch(STACK_FRAME);
    expect(run.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('every wrong variable gets its own line', async () => {
    const run = await start({ PORT: '70000', HUB_ROLE: 'both', REDIS_URL: 'localhost:6379' });
    expect(run.code).toBe(1);
    const problems = run.output.split('\n').filter((l) => l.startsWith('  '));
    expect(problems).toEqual([
      '  PORT: must not be greater than 65535, got "70000" (for example PORT=3000)',
      '  REDIS_URL: must be a redis:// URL, got "localhost:6379" (for example REDIS_URL=redis://redis:6379)',
      '  HUB_ROLE: must be one of the following values: api, worker, all, got "both" (for example HUB_ROLE=all)',
    ]);
  });

  it('a malformed ENCRYPTION_KEYS: a line without a stack trace or the key, exit 1 at once', async () => {
    const run = await start({ ENCRYPTION_KEYS: 'k1:c2hvcnQta2V5' });
    expect(run.code).toBe(1);
    expect(run.output).toContain("ENCRYPTION_KEYS: key 'k1' must be 32 bytes of base64, got 9 bytes (for example ENCRYPTION_KEYS=k1:$(openssl rand -base64 32))");
    expect(run.output).not.toContain('c2hvcnQta2V5');
    expect(run.output).not.toMatch(STACK_FRAME);
    expect(run.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('an unreachable database: bounded retries naming host and reason, then what to check', async () => {
    const port = await closedPort();
    const run = await start({ DATABASE_URL: `postgres://hub:s3cret@127.0.0.1:${port}/hub`, STARTUP_WAIT_SECONDS: '2' });
    expect(run.code).toBe(1);
    const retries = run.output.split('\n').filter((l) => l.includes('"msg":"PostgreSQL at'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    for (const line of retries) {
      expect(JSON.parse(line)).toMatchObject({ level: 40, variable: 'DATABASE_URL', host: `127.0.0.1:${port}`, reason: 'connection refused (ECONNREFUSED)' });
    }
    expect(run.output).toMatch(new RegExp(`DATABASE_URL: PostgreSQL at 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\); gave up after \\d+ attempt\\(s\\) in [\\d.]+ s \\(STARTUP_WAIT_SECONDS=2\\)`));
    expect(run.output).toContain('Check that PostgreSQL is running and reachable from this host, and that DATABASE_URL points at it');
    expect(run.output).not.toContain('s3cret');
    expect(run.output).not.toMatch(STACK_FRAME);
    expect(run.ms).toBeGreaterThan(1000);
    expect(run.ms).toBeLessThan(2000 + AT_ONCE_MS);
  });

  it('a database that does not exist is not retried', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/hub_no_such_database';
    const run = await start({ DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port}: database "hub_no_such_database" does not exist`);
    expect(run.output).toContain('Create it (createdb "hub_no_such_database"');
    expect(run.output).not.toContain('retrying');
    expect(run.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('a refused login is not retried', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = 'hub_no_such_role';
    url.password = 'pw';
    const run = await start({ DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port}: login refused (role "hub_no_such_role" does not exist)`);
    expect(run.output).toContain('Check the user name and password in DATABASE_URL');
    expect(run.output).not.toContain('retrying');
    expect(run.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('a URL that is not PostgreSQL is refused before any connection', async () => {
    const run = await start({ DATABASE_URL: 'mysql://root@127.0.0.1/hub' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('DATABASE_URL: must be a postgres:// URL, got "mysql://root@127.0.0.1/hub" (for example DATABASE_URL=postgres://hub:secret@db:5432/hub)');
    expect(run.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('an unreachable Redis names REDIS_URL, host and reason; no raw ioredis errors', async () => {
    const port = await closedPort();
    const run = await start({ REDIS_URL: `redis://127.0.0.1:${port}`, STARTUP_WAIT_SECONDS: '2' });
    expect(run.code).toBe(1);
    const retries = run.output.split('\n').filter((l) => l.includes('"msg":"Redis at'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(retries[0])).toMatchObject({ variable: 'REDIS_URL', host: `127.0.0.1:${port}`, reason: 'connection refused (ECONNREFUSED)' });
    expect(run.output).toMatch(new RegExp(`REDIS_URL: Redis at 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\); gave up after`));
    expect(run.output).toContain('Check that Redis is running and reachable from this host, and that REDIS_URL points at it');
    expect(run.output).not.toMatch(/Unhandled error event|MaxRetriesPerRequestError/);
    expect(run.ms).toBeLessThan(2000 + AT_ONCE_MS);
  });

  it('a DATA_DIR another hub holds is refused instead of opened twice', async () => {
    const held = mkdtempSync(join(tmpdir(), 'hub-startup-held-'));
    try {
      // This jest worker stands in for the running hub: its pid is alive.
      writeFileSync(join(held, 'pglite.lock'), String(process.pid));
      const run = await runUntilExit({ DATA_DIR: held, PORT: '0' });
      expect(run.code).toBe(1);
      expect(run.output).toContain(`DATA_DIR: ${held} is in use by another Integrations Hub process (pid ${process.pid})`);
      expect(run.output).toContain('give this one its own DATA_DIR');
      expect(run.output).not.toMatch(STACK_FRAME);
    } finally {
      rmSync(held, { recursive: true, force: true });
    }
  });
});
