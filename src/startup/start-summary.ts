import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/hub-config';
import { targetOf } from './dependency-checks';
import { providerSettings } from './provider-settings';

/** The package version, from package.json above this file (src/ when run by ts, dist/src/ when built). */
export function hubVersion(): string {
  for (const dir of [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')]) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'integrations-hub' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

/** Where the data lives, without credentials: `postgres db:5432/hub` or the PGlite directory. */
export function describeDatabase(config: HubConfig): { kind: 'postgres' | 'pglite'; location: string } {
  if (!config.databaseUrl) return { kind: 'pglite', location: resolve(config.dataDir, 'pglite') };
  let database = '';
  try {
    database = new URL(config.databaseUrl).pathname;
  } catch {
    // the host alone says enough
  }
  return { kind: 'postgres', location: `${targetOf(config.databaseUrl, 5432)}${database}` };
}

export function describeQueue(config: HubConfig): string {
  return config.redisUrl ? `bull on redis ${targetOf(config.redisUrl, 6379)} (prefix ${config.queuePrefix})` : 'in-process';
}

/**
 * The start-up summary at info: one line for the process (version, role, database, queue, URL, time to ready)
 * and one per provider (configured or what to set); an incomplete provider is a warning.
 */
export function logStartSummary(logger: Logger, config: HubConfig, url: string | undefined): void {
  const version = hubVersion();
  // performance.now() counts from process start, so this includes loading the code.
  const readyMs = Math.round(performance.now());
  const database = describeDatabase(config);
  const queue = describeQueue(config);
  const where = url ? `listening on ${url}` : 'no HTTP listener';
  const what = config.role === 'worker' ? 'worker started' : 'ready';
  logger.info(
    { version, role: config.role, database: database.kind, databaseAt: database.location, queue, url, readyMs },
    `Integrations Hub ${version} ${what} in ${(readyMs / 1000).toFixed(1)} s: role ${config.role}, database ${database.kind} ${database.location}, queue ${queue}, ${where}`,
  );
  for (const p of providerSettings(config)) {
    logger[p.state === 'incomplete' ? 'warn' : 'info']({ provider: p.provider, state: p.state }, `provider ${p.provider}: ${p.state}; ${p.detail}`);
  }
}
