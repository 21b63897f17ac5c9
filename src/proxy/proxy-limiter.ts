import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS_CLIENT } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { IntegrationVersions } from '../integrations/integration-versions.service';
import { proxyLimited } from './proxy.errors';

/** A slot not released within this time (a replica died mid-call) is freed anyway. */
const LEASE_MS = 5 * 60_000;
const WINDOW_MS = 1000;

/**
 * One round trip: expire dead leases, refuse when the integration has PROXY_MAX_CONCURRENCY calls in flight
 * (-1) or has made PROXY_MAX_REQUESTS_PER_SECOND calls in this second (the window's remaining ms), else take a slot (0);
 * with the answer, the integration's current version (KEYS[3], see IntegrationVersions), so the caller can tell
 * whether the row it holds in memory is still current without another round trip.
 */
const ACQUIRE = `
local version = redis.call('GET', KEYS[3]) or ''
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return {-1, version} end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
if n > tonumber(ARGV[4]) then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 1 then ttl = 1 end
  return {ttl, version}
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {0, version}`;

type PipelineWithAcquire = ChainableCommander & {
  proxyAcquireVersioned(concurrencyKey: string, rateKey: string, versionKey: string, ...args: Array<string | number>): ChainableCommander;
};

interface Queued {
  add(pipeline: PipelineWithAcquire): void;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

/** Releases the slot a call holds; safe to call more than once. */
export type ProxySlot = () => void;

export interface AcquiredSlot {
  release: ProxySlot;
  /** The integration's current version (IntegrationVersions); undefined when Redis could not say. */
  version: string | undefined;
}

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
  /** Commands of this turn of the event loop, sent together (see `batched`). */
  private queued: Queued[] = [];

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Optional() private readonly versions?: IntegrationVersions,
  ) {
    if (redis && !('proxyAcquireVersioned' in redis)) redis.defineCommand('proxyAcquireVersioned', { numberOfKeys: 3, lua: ACQUIRE });
  }

  async acquire(integrationId: string): Promise<ProxySlot> {
    return (await this.acquireVersioned(integrationId)).release;
  }

  /** Takes a slot (or throws 429) and reads the integration's version, in one Redis round trip. */
  async acquireVersioned(integrationId: string): Promise<AcquiredSlot> {
    const { maxConcurrency, maxRequestsPerSecond } = this.config.proxy;
    if (!this.redis) {
      return { release: this.acquireLocal(integrationId, maxConcurrency, maxRequestsPerSecond), version: this.versions?.localVersion(integrationId) };
    }
    const prefix = `${this.config.queuePrefix}:proxy:${integrationId}`;
    const versionKey = this.versions?.key(integrationId) ?? `${prefix}:version`;
    const lease = randomUUID();
    let answer: number;
    let version: string;
    try {
      [answer, version] = await this.batched<[number, string]>((p) =>
        p.proxyAcquireVersioned(`${prefix}:inflight`, `${prefix}:rate`, versionKey, Date.now(), LEASE_MS, maxConcurrency, maxRequestsPerSecond, lease, WINDOW_MS),
      );
    } catch (err) {
      this.logger.warn(`proxy limits unavailable, call not limited: ${(err as Error).message}`);
      return { release: () => undefined, version: undefined };
    }
    this.refuse(answer);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.batched((p) => p.zrem(`${prefix}:inflight`, lease)).catch((err: Error) => this.logger.warn(`proxy slot release failed: ${err.message}`));
    };
    return { release, version: this.versions ? version : undefined };
  }

  /**
   * The commands of all calls taking or releasing a slot in this turn of the event loop go to Redis as one pipeline:
   * one socket write and one read for many calls under load (each write is a system call, the largest cost of a
   * proxied call after the relay itself), and no added wait for a lone call (flushed right after this turn's I/O).
   */
  private batched<T>(add: (pipeline: PipelineWithAcquire) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ add, resolve: resolve as (result: unknown) => void, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    const pipeline = (this.redis as Redis).pipeline() as PipelineWithAcquire;
    for (const q of batch) q.add(pipeline);
    pipeline.exec().then(
      (results) => batch.forEach((q, i) => {
        const [err, result] = results?.[i] ?? [new Error('no reply from Redis'), undefined];
        if (err) q.reject(err);
        else q.resolve(result);
      }),
      (err: Error) => batch.forEach((q) => q.reject(err)),
    );
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
