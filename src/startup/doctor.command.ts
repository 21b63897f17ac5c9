import { Pool } from 'pg';
import { existingKeyRing } from '../common/encryption-keys';
import { checkSealedColumns } from '../common/rotate-keys';
import { declaredSealedColumns } from '../common/sealed-column';
import type { KeyRing } from '../common/sealed-secrets';
import { ConfigError, HubConfig, loadConfig } from '../config/hub-config';
import { embeddedDatabaseExists, embeddedDatabaseHolder, EmbeddedPostgres, startEmbeddedPostgres } from '../database/embedded-postgres';
import { postgresDependency, redisDependency } from './dependency-checks';
import { providerSettings } from './provider-settings';

type Print = (line: string) => void;

/** One finding: passed, failed (doctor exits 1) or worth knowing. */
interface Finding {
  status: 'ok' | 'fail' | 'note';
  check: string;
  message: string;
  /** How to fix it, for failures. */
  fix?: string;
}

const MARK: Record<Finding['status'], string> = { ok: '[ok]  ', fail: '[FAIL]', note: '[note]' };
const PROBE_TIMEOUT_MS = 5000;

/**
 * `npm run doctor`: checks a configuration without starting the service. The settings, PostgreSQL and Redis
 * reachable, the encryption keys open every stored secret, provider settings complete, SITE_URL answering as
 * this hub. Prints one line per finding with the fix; exits 1 when anything failed.
 */
export async function runDoctor(env: NodeJS.ProcessEnv, out: Print): Promise<number> {
  const findings: Finding[] = [];
  const report = (f: Finding) => {
    findings.push(f);
    out(`${MARK[f.status]} ${f.check}: ${f.message}`);
    if (f.fix) out(`       fix: ${f.fix}`);
  };
  let config: HubConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) report({ status: 'fail', check: 'configuration', message: problem, fix: err.advice });
    out('Fix the configuration first; the other checks need it.');
    return 1;
  }
  report({ status: 'ok', check: 'configuration', message: `every variable is valid (role ${config.role})` });

  const [database, redis] = await Promise.all([checkDatabase(config), checkRedis(config)]);
  report(database.finding);
  report(redis);
  let manifestApp: string | null = null;
  try {
    if (database.pool) report(await checkSecrets(config, database.pool));
    if (database.pool) manifestApp = await storedGithubApp(database.pool);
  } finally {
    await database.pool?.end();
    await database.embedded?.stop();
  }
  for (const p of providerSettings(config)) {
    // No GITHUB_APP_* settings, but an App created through the manifest flow: the hub uses that one.
    if (p.provider === 'github' && p.state === 'not configured' && manifestApp) {
      report({ status: 'ok', check: 'provider github', message: `configured; ${manifestApp} (created through the manifest flow, stored sealed)` });
      continue;
    }
    report({ status: p.state === 'incomplete' ? 'fail' : p.state === 'configured' ? 'ok' : 'note', check: `provider ${p.provider}`, message: `${p.state}; ${p.detail}` });
  }
  report(await checkSiteUrl(config));

  const failed = findings.filter((f) => f.status === 'fail').length;
  out(failed ? `${failed} problem(s) found.` : 'No problems found.');
  return failed ? 1 : 0;
}

async function checkDatabase(config: HubConfig): Promise<{ finding: Finding; pool?: Pool; embedded?: EmbeddedPostgres }> {
  const check = 'database';
  if (config.databaseUrl) {
    const dependency = postgresDependency(config.databaseUrl);
    const failure = await dependency.probe(PROBE_TIMEOUT_MS);
    if (failure) return { finding: { status: 'fail', check, message: `DATABASE_URL: PostgreSQL at ${dependency.target}: ${failure.reason}`, fix: failure.advice } };
    return { finding: { status: 'ok', check, message: `PostgreSQL at ${dependency.target} answers` }, pool: new Pool({ connectionString: config.databaseUrl, max: 1 }) };
  }
  if (!embeddedDatabaseExists(config.dataDir)) {
    return { finding: { status: 'note', check, message: `embedded PGlite: no database in ${config.dataDir} yet; the first start creates it` } };
  }
  // Opening the data directory beside the running hub would corrupt it.
  const holder = embeddedDatabaseHolder(config.dataDir);
  if (holder !== null) {
    return { finding: { status: 'note', check, message: `embedded PGlite in ${config.dataDir} is in use by the running hub (pid ${holder}); stored secrets not checked (stop the hub to check them)` } };
  }
  try {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    return { finding: { status: 'ok', check, message: `embedded PGlite in ${config.dataDir} opens` }, pool: new Pool({ connectionString: embedded.url, max: 1 }), embedded };
  } catch (err) {
    const e = err instanceof ConfigError ? err : new ConfigError([(err as Error).message], 'Check DATA_DIR.');
    return { finding: { status: 'fail', check, message: e.problems.join('; '), fix: e.advice } };
  }
}

/** The App stored by the manifest flow, described, or null (none, or migrations not run yet). */
async function storedGithubApp(pool: Pool): Promise<string | null> {
  try {
    const { rows } = await pool.query<{ slug: string; app_id: string; api_url: string }>('SELECT slug, app_id, api_url FROM github_app_registrations LIMIT 1');
    return rows[0] ? `GitHub App ${rows[0].slug} (id ${rows[0].app_id}) on ${rows[0].api_url}` : null;
  } catch {
    return null;
  }
}

async function checkRedis(config: HubConfig): Promise<Finding> {
  const check = 'redis';
  if (!config.redisUrl) return { status: 'note', check, message: 'REDIS_URL is not set: queues, caches and limits are in-process (one process only)' };
  const dependency = redisDependency(config.redisUrl);
  const failure = await dependency.probe(PROBE_TIMEOUT_MS);
  if (failure) return { status: 'fail', check, message: `REDIS_URL: Redis at ${dependency.target}: ${failure.reason}`, fix: failure.advice };
  return { status: 'ok', check, message: `Redis at ${dependency.target} answers` };
}

async function checkSecrets(config: HubConfig, pool: Pool): Promise<Finding> {
  const check = 'encryption keys';
  const keyRing: KeyRing | null = existingKeyRing(config);
  const tables = await pool.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
  const existing = new Set(tables.rows.map((r) => r.name));
  const columns = (await declaredSealedColumns()).filter((c) => existing.has(c.table));
  if (columns.length === 0) return { status: 'note', check, message: 'the database has no tables yet (migrations run at the first start)' };
  if (!keyRing) return { status: 'note', check, message: `ENCRYPTION_KEYS is not set and no key was generated in ${config.dataDir} yet; the first start generates one` };
  const results = await checkSealedColumns(pool, keyRing, columns);
  const opened = results.reduce((n, r) => n + r.opened, 0);
  const failed = results.filter((r) => r.failed > 0);
  if (failed.length === 0) return { status: 'ok', check, message: `open all ${opened} stored secret(s)` };
  const total = failed.reduce((n, r) => n + r.failed, 0);
  return {
    status: 'fail',
    check,
    message: `${total} stored secret(s) cannot be opened: ${failed.map((r) => `${r.table}.${r.column} ${r.failed} (${r.firstError})`).join('; ')}`,
    fix: 'Add the key that sealed them to ENCRYPTION_KEYS (any listed key opens; the first seals), then `npm run cli -- rotate-keys` re-seals everything with the first key.',
  };
}

async function checkSiteUrl(config: HubConfig): Promise<Finding> {
  const check = 'SITE_URL';
  const url = `${config.siteUrl}/api/healthz`;
  const fix = 'If the hub is not running, start it and run doctor again; otherwise make SITE_URL the address clients and providers use to reach this hub (DNS, reverse proxy, TLS).';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    if (res.status === 200 && body?.status === 'ok') return { status: 'ok', check, message: `${config.siteUrl} reaches the hub` };
    return { status: 'fail', check, message: `${url} answered ${res.status} but not as this hub's liveness probe`, fix };
  } catch (err) {
    const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
    const reason = cause?.code ?? (err as Error).name;
    return { status: 'fail', check, message: `${config.siteUrl} is not reachable from here (${reason})`, fix };
  }
}
