import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { REDIS_CLIENT } from '../common/redis.module';

/**
 * Counts failed authentications per client address in a fixed window; shared through Redis when it is
 * configured so that every replica sees the same count.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  /** Seconds until the address may try again, or 0 when it is not blocked. */
  async retryAfter(address: string): Promise<number> {
    if (this.redis) {
      const key = this.key(address);
      const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      return Number(count ?? 0) >= this.config.authFailureLimit ? Math.max(1, Math.ceil(ttl / 1000)) : 0;
    }
    const entry = this.local.get(address);
    if (!entry || entry.resetAt <= Date.now()) return 0;
    return entry.count >= this.config.authFailureLimit ? Math.ceil((entry.resetAt - Date.now()) / 1000) : 0;
  }

  async recordFailure(address: string): Promise<void> {
    const windowMs = this.config.authFailureWindowSeconds * 1000;
    if (this.redis) {
      const key = this.key(address);
      const count = await this.redis.incr(key);
      if (count === 1) await this.redis.pexpire(key, windowMs);
      return;
    }
    const now = Date.now();
    const entry = this.local.get(address);
    if (!entry || entry.resetAt <= now) {
      if (this.local.size > 100_000) this.local.clear();
      this.local.set(address, { count: 1, resetAt: now + windowMs });
    } else {
      entry.count++;
    }
  }

  private key(address: string): string {
    return `${this.config.queuePrefix}:authfail:${address}`;
  }
}
