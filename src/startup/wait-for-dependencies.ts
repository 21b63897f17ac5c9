import type { Logger } from 'pino';
import { ConfigError } from '../config/hub-config';
import { flushLogger } from '../common/logger';
import type { HubConfig } from '../config/hub-config';
import { Dependency, postgresDependency, redisDependency } from './dependency-checks';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;
const MAX_PROBE_MS = 5000;

/**
 * Waits for one dependency for at most `budgetMs`: errors that waiting cannot fix (unknown database, refused
 * login, unknown host) fail at once; connection refused and timeouts are retried with backoff, one line each
 * naming the host and the reason. Returns the problem line and advice when it gives up, null when reachable.
 */
async function waitFor(dependency: Dependency, budgetMs: number, logger: Logger): Promise<{ problem: string; advice: string } | null> {
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    const remaining = budgetMs - (Date.now() - started);
    const failure = await dependency.probe(Math.max(1000, Math.min(MAX_PROBE_MS, remaining)));
    if (!failure) {
      if (attempt > 1) logger.info({ variable: dependency.variable, host: dependency.target, attempt }, `${dependency.what} at ${dependency.target} is reachable`);
      return null;
    }
    const at = `${dependency.what} at ${dependency.target}`;
    const waited = Date.now() - started;
    if (!failure.retryable) return { problem: `${dependency.variable}: ${at}: ${failure.reason}`, advice: failure.advice };
    if (waited + delay > budgetMs) {
      return {
        problem: `${dependency.variable}: ${at}: ${failure.reason}; gave up after ${attempt} attempt(s) in ${(waited / 1000).toFixed(1)} s (STARTUP_WAIT_SECONDS=${budgetMs / 1000})`,
        advice: failure.advice,
      };
    }
    logger.warn(
      { variable: dependency.variable, host: dependency.target, reason: failure.reason, attempt, retryInMs: delay },
      `${at} is not reachable: ${failure.reason}; retrying in ${delay / 1000} s (attempt ${attempt})`,
    );
    flushLogger(logger);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** Waits for the configured PostgreSQL and Redis (STARTUP_WAIT_SECONDS); the embedded defaults need no wait. */
export function waitForHubDependencies(config: HubConfig, logger: Logger): Promise<void> {
  const dependencies = [
    ...(config.databaseUrl ? [postgresDependency(config.databaseUrl)] : []),
    ...(config.redisUrl ? [redisDependency(config.redisUrl)] : []),
  ];
  return waitForDependencies(dependencies, config.startupWaitSeconds * 1000, logger);
}

/** Waits for every dependency at once; throws one ConfigError listing each that stayed unusable. */
export async function waitForDependencies(dependencies: Dependency[], budgetMs: number, logger: Logger): Promise<void> {
  const results = await Promise.all(dependencies.map((d) => waitFor(d, budgetMs, logger)));
  const failed = results.filter((r): r is { problem: string; advice: string } => r !== null);
  if (failed.length > 0) throw new ConfigError(failed.map((f) => f.problem), failed.map((f) => f.advice).join(' '));
}
