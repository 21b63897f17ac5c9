import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { HubConfig } from '../config/hub-config';
import { serviceUnavailable } from './common.errors';
import { HubError } from './hub-error';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** No Redis command waits longer than this, queued or sent: an outage costs a request at most this much. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** Whether commands can be sent now; while ioredis reconnects they fail at once instead of queueing. */
export function redisUp(redis: Redis): boolean {
  return redis.status === 'ready';
}

/** Runs a command that the operation cannot do without: fails fast with 503 when Redis is down or slow. */
export async function requireRedis<T>(redis: Redis, what: string, command: (redis: Redis) => Promise<T>): Promise<T> {
  if (!redisUp(redis)) throw serviceUnavailable(what);
  try {
    return await command(redis);
  } catch (err) {
    if (err instanceof HubError) throw err;
    throw serviceUnavailable(what);
  }
}

const redisLogger = new Logger('Redis');
let lastWarning = 0;

/** One warning per 10 s: an outage must not flood the log with one line per request or reconnect. */
function warnThrottled(message: string): void {
  if (Date.now() - lastWarning < 10_000) return;
  lastWarning = Date.now();
  redisLogger.warn(message);
}

/**
 * Runs a command the operation can do without (a cache, a shared count): answers `fallback` when Redis is down
 * or slow, so the caller keeps working from PostgreSQL or memory. Logged at most once every 10 s.
 */
export async function optionalRedis<T>(redis: Redis, command: (redis: Redis) => Promise<T>, fallback: T): Promise<T> {
  if (!redisUp(redis)) return fallback;
  try {
    return await command(redis);
  } catch (err) {
    warnThrottled(`Redis command failed, continuing without it: ${(err as Error).message}`);
    return fallback;
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * A shared ioredis client for caches, limits and locks; `null` when REDIS_URL is unset (embedded mode).
 * Bounded: a command times out after REDIS_COMMAND_TIMEOUT_MS and is not retried across reconnects, and
 * the client keeps reconnecting (at most every 2 s) so the hub recovers by itself when Redis is back.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(config: HubConfig): DynamicModule {
    const client = config.redisUrl
      ? new Redis(config.redisUrl, {
          maxRetriesPerRequest: 1,
          commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
          lazyConnect: false,
        })
      : null;
    // Without a listener, every failed reconnect would be an unhandled 'error' event.
    client?.on('error', (err: Error) => warnThrottled(`Redis connection: ${err.message}`));
    return {
      module: RedisModule,
      providers: [{ provide: REDIS_CLIENT, useValue: client }, RedisCloser],
      exports: [REDIS_CLIENT],
    };
  }
}
