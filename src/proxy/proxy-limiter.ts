import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS_CLIENT } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { proxyLimited } from './proxy.errors';

/** A slot not released within this time (a replica died mid-call) is freed anyway. */
const LEASE_MS = 5 * 60_000;
const WINDOW_MS = 1000;

/**
 * One round trip: expire dead leases, refuse when the integration has PROXY_MAX_CONCURRENCY calls in flight
 * (-1) or has made PROXY_MAX_REQUESTS_PER_SECOND calls in this second (the window's remaining ms), else take a slot (0).
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
if n > tonumber(ARGV[4]) then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 1 then ttl = 1 end
  return ttl
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

type RedisWithAcquire = Redis & { proxyAcquire(concurrencyKey: string, rateKey: string, ...args: Array<string | number>): Promise<number> };

/** Releases the slot a call holds; safe to call more than once. */
export type ProxySlot = () => void;

/**
 * Per-integration concurrency and rate limits for proxied calls, shared by every replica through Redis (a sorted
 * set of leases and a one-second counter); in-process counters when REDIS_URL is unset. A Redis fault lets the call
 * through (logged): the limits protect the provider account, they are not an authorization.
 */
@Injectable()
export class ProxyLimiter {
  private readonly logger = new Logger(ProxyLimiter.name);
  private readonly inFlight = new Map<string, number>();
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {
    if (redis && !('proxyAcquire' in redis)) redis.defineCommand('proxyAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  }

  async acquire(integrationId: string): Promise<ProxySlot> {
    const { maxConcurrency, maxRequestsPerSecond } = this.config.proxy;
    if (!this.redis) return this.acquireLocal(integrationId, maxConcurrency, maxRequestsPerSecond);
    const prefix = `${this.config.queuePrefix}:proxy:${integrationId}`;
    const lease = randomUUID();
    let answer: number;
    try {
      answer = await (this.redis as RedisWithAcquire).proxyAcquire(`${prefix}:inflight`, `${prefix}:rate`, Date.now(), LEASE_MS, maxConcurrency, maxRequestsPerSecond, lease, WINDOW_MS);
    } catch (err) {
      this.logger.warn(`proxy limits unavailable, call not limited: ${(err as Error).message}`);
      return () => undefined;
    }
    this.refuse(answer);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.redis?.zrem(`${prefix}:inflight`, lease).catch((err: Error) => this.logger.warn(`proxy slot release failed: ${err.message}`));
    };
  }

  private acquireLocal(integrationId: string, maxConcurrency: number, maxPerSecond: number): ProxySlot {
    const now = Date.now();
    const inFlight = this.inFlight.get(integrationId) ?? 0;
    if (inFlight >= maxConcurrency) this.refuse(-1);
    let window = this.windows.get(integrationId);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 100_000) this.windows.clear();
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(integrationId, window);
    }
    if (++window.count > maxPerSecond) this.refuse(window.resetAt - now);
    this.inFlight.set(integrationId, inFlight + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(integrationId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(integrationId, left);
      else this.inFlight.delete(integrationId);
    };
  }

  private refuse(answer: number): void {
    if (answer === -1) throw proxyLimited(1, 'concurrency');
    if (answer > 0) throw proxyLimited(Math.max(1, Math.ceil(answer / 1000)), 'request rate');
  }
}
