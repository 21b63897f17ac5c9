import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { clearRedisPrefix, createDatabase, dropDatabase, testEnv } from './support/hub-harness';
import { poll } from './support/poll';
import { spawnHub } from './support/process';

/** `node dist/src/main.js` as the container image runs it (no Node flags): start-up's heap is given back before it listens. */
describe('memory after start', () => {
  let databaseName: string;
  const prefix = `t${randomBytes(5).toString('hex')}`;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    databaseName = await createDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await dropDatabase(databaseName);
    await clearRedisPrefix(prefix);
  });

  it('trims the young generation start-up grew, so RSS is below its start-up peak when the listener opens', async () => {
    child = spawnHub(testEnv(databaseName, prefix, { env: { LOG_LEVEL: 'debug', HUB_ROLE: 'api' } }), { nodeFlags: [] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const lineOf = (msg: string) => out.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
    const trimmed = JSON.parse(await poll(() => lineOf('heap trimmed after start'), { timeoutMs: 60_000, what: 'the heap trim line' })) as Record<string, number>;
    // The start summary (`Integrations Hub <version> ready in …`) is written once the listener is open.
    await poll(() => /"url":"http:\/\/[^"]+","readyMs"/.exec(out), { timeoutMs: 30_000, what: 'the start summary' });

    // Node's default young generation on this machine is larger than 4 MiB; after the trim it is at most that.
    expect(trimmed.youngBeforeMb).toBeGreaterThan(trimmed.youngAfterMb);
    expect(trimmed.youngAfterMb).toBeLessThanOrEqual(4);
    expect(trimmed.afterMb).toBeLessThan(trimmed.beforeMb);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    expect(kb('VmRSS')).toBeLessThan(kb('VmHWM'));
  });
});
