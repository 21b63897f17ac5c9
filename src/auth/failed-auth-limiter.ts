import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { optionalRedis, REDIS_CLIENT } from '../common/redis.module';
import { MetricsService } from '../health/metrics.service';

/**
 * Counts failed authentications per client address in a fixed window (AUTH_FAILURE_LIMIT per
 * AUTH_FAILURE_WINDOW_SECONDS), shared through Redis when it is configured so every replica sees one count.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Records one failure; returns the seconds to wait when the address is over the limit, else 0. While Redis is
   * unreachable the count is kept per process, so authentication keeps answering 401 (never 500).
   */
  async recordFailure(address: string): Promise<number> {
    this.metrics.authFailures.inc({ reason: 'api_key' });
    const windowMs = this.config.authFailureWindowSeconds * 1000;
    const shared = this.redis ? await optionalRedis(this.redis, (redis) => this.countShared(redis, address, windowMs), null) : null;
    const { count, remainingMs } = shared ?? this.countLocal(address, windowMs);
    return count > this.config.authFailureLimit ? Math.max(1, Math.ceil(remainingMs / 1000)) : 0;
  }

  private async countShared(redis: Redis, address: string, windowMs: number): Promise<{ count: number; remainingMs: number }> {
    const key = `${this.config.queuePrefix}:authfail:${address}`;
    const [[, count], [, ttl]] = (await redis.multi().incr(key).pttl(key).exec()) as [[null, number], [null, number]];
    if (ttl >= 0) return { count, remainingMs: ttl };
    await redis.pexpire(key, windowMs);
    return { count, remainingMs: windowMs };
  }

  private countLocal(address: string, windowMs: number): { count: number; remainingMs: number } {
    const now = Date.now();
    let entry = this.local.get(address);
    if (!entry || entry.resetAt <= now) {
      if (this.local.size > 100_000) this.local.clear();
      entry = { count: 0, resetAt: now + windowMs };
      this.local.set(address, entry);
    }
    return { count: ++entry.count, remainingMs: entry.resetAt - now };
  }
}
