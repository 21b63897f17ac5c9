import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from './support/http';
import { poll } from './support/poll';
import { startHubProcess } from './support/process';

function residentMegabytes(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

/** Framework wiring at debug; at info one summary line and one line per provider. */
function expectQuietStart(output: string, url: string): void {
  const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.filter((l) => ['InstanceLoader', 'RouterExplorer', 'RoutesResolver'].includes(l.context as string))).toEqual([]);
  expect(output).not.toContain('Duplicate DTO');
  const summary = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Integrations Hub '));
  expect(summary).toHaveLength(1);
  expect(summary[0]).toMatchObject({ level: 30, version: '0.1.0', role: 'all', database: 'pglite', queue: 'in-process', url });
  expect(summary[0].readyMs).toEqual(expect.any(Number));
  expect(summary[0].msg).toMatch(new RegExp(`^Integrations Hub 0\\.1\\.0 ready in [\\d.]+ s: role all, database pglite .+, queue in-process, listening on ${url}$`));
  const providers = lines.filter((l) => 'provider' in l);
  expect(providers.map((l) => l.provider)).toEqual(['github', 'slack', 'gitlab', 'jira', 'discord', 'teams', 'mantisbt', 'email', 'domain-connect']);
  expect(providers.every((l) => l.state === 'not configured' && String(l.msg).includes('set '))).toBe(true);
  // Everything at info: the key warning, the summary, the providers, the bootstrap banner's neighbours.
  expect(lines.length).toBeLessThanOrEqual(15);
}

/** `npm start` with nothing configured: PGlite in DATA_DIR, the in-process queue, a generated key. */
describe('smoke: embedded defaults (PGlite, in-process queue)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-smoke-'));
  const env = { DATA_DIR: dataDir, PORT: '0' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, prints a working bootstrap key, keeps its data across a restart, and stops on SIGTERM', async () => {
    // A first start runs initdb (WASM PostgreSQL), which takes a while on a busy shared machine.
    const first = await startHubProcess(env, 120_000);
    let key: string;
    let orgId: string;
    try {
      const printed = first.output().match(/API key \(shown once, store it now\): (ihk_[A-Za-z0-9_-]{43})/);
      expect(printed).not.toBeNull();
      key = (printed as RegExpMatchArray)[1];
      // The key appears exactly once in everything the process wrote.
      expect(first.output().split(key).length - 1).toBe(1);
      expect((statSync(join(dataDir, 'encryption-keys')).mode & 0o777).toString(8)).toBe('600');
      // Log lines are written asynchronously: wait for the last provider line before reading the start-up output.
      await poll(() => first.output().includes('"provider":"domain-connect"'), { what: 'the provider lines' });
      expectQuietStart(first.output(), first.url);
      // The embedded database is sized for a laptop (PGlite's server defaults held 873 MB here).
      expect(residentMegabytes(first.child.pid as number)).toBeLessThanOrEqual(300);

      expect((await http(first.url, 'GET', '/api/healthz')).body).toEqual({ status: 'ok' });
      expect((await http(first.url, 'GET', '/api/readyz')).body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok' });
      const docs = await fetch(`${first.url}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui');
      const spec = await http(first.url, 'GET', '/api/openapi.json');
      expect(spec.body.info.title).toBe('Integrations Hub API');
      const me = await http(first.url, 'GET', '/api/users/@me', { key });
      expect(me.status).toBe(200);
      expect(me.body.email).toBe('admin@localhost');
      orgId = me.body.organizations[0].id;
      const project = await http(first.url, 'POST', `/api/organizations/${orgId}/projects`, { key, body: { name: 'Survives restart' } });
      expect(project.status).toBe(201);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    expect(first.output()).toContain('shutting down');
    // Request logs (flushed at shutdown) are JSON with request ids, and never carry the key.
    expect(first.output()).toMatch(/"reqId":"[0-9a-f-]{36}".*"msg":"request completed"/);
    expect(first.output().split(key).length - 1).toBe(1);

    const second = await startHubProcess(env, 60_000);
    try {
      expect(second.output()).not.toContain('shown once');
      const projects = await http(second.url, 'GET', `/api/organizations/${orgId}/projects`, { key });
      expect(projects.status).toBe(200);
      expect(projects.body.results.map((p: { name: string }) => p.name)).toEqual(['Default project', 'Survives restart']);
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  }, 240_000);

  it('refuses to start on an invalid setting and names the variable', async () => {
    await expect(startHubProcess({ DATA_DIR: dataDir, PORT: 'eighty' }, 15000)).rejects.toThrow(/PORT: must be an integer number, got "eighty"/);
    await expect(startHubProcess({ DATA_DIR: dataDir, REDIS_URL: 'localhost:6379' }, 15000)).rejects.toThrow(/REDIS_URL: must be a redis:\/\/ URL/);
    await expect(startHubProcess({ DATA_DIR: dataDir, NODE_ENV: 'production' }, 15000)).rejects.toThrow(/ENCRYPTION_KEYS: required when NODE_ENV=production/);
  });
});
