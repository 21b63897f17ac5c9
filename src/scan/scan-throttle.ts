import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The GitHub budget of one installation, shared by every worker through Redis (in memory without Redis):
 * a per-second request allowance, and a "paused until" mark set when GitHub answers with a rate limit so
 * that every worker waits it out instead of hammering GitHub into secondary limits.
 */
@Injectable()
export class ScanThrottle {
  private readonly pausedUntil = new Map<string, number>();
  private readonly windows = new Map<string, { second: number; used: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Waits until the installation may send one more request (bounded by the abort signal). */
  async acquire(installationId: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      const paused = await this.pausedUntilMs(installationId);
      const now = Date.now();
      if (paused > now) {
        await sleep(Math.min(paused - now, 1000), signal);
        continue;
      }
      const second = Math.floor(now / 1000);
      if ((await this.take(installationId, second)) <= this.config.scan.maxRequestsPerSecond) return;
      await sleep((second + 1) * 1000 - now + 1, signal);
    }
  }

  /** Every worker pauses this installation's requests until `untilMs`. */
  /** Every worker pauses this installation's requests until `untilMs` (this one alone while Redis is unreachable). */
  async pause(installationId: string, untilMs: number): Promise<void> {
    this.pausedUntil.set(installationId, Math.max(untilMs, this.pausedUntil.get(installationId) ?? 0));
    if (!this.redis) return;
    const key = this.key('paused', installationId);
    const ttl = Math.max(1, untilMs - Date.now());
    await optionalRedis(
      this.redis,
      async (redis) => {
        const current = Number(await redis.get(key)) || 0;
        if (untilMs > current) await redis.set(key, String(untilMs), 'PX', ttl);
      },
      undefined,
    );
  }

  private async pausedUntilMs(installationId: string): Promise<number> {
    const local = this.pausedUntil.get(installationId) ?? 0;
    if (!this.redis) return local;
    const shared = Number(await optionalRedis(this.redis, (redis) => redis.get(this.key('paused', installationId)), null)) || 0;
    return Math.max(local, shared);
  }

  /** Requests taken in this second: shared through Redis, per process while Redis is unreachable. */
  private async take(installationId: string, second: number): Promise<number> {
    if (this.redis) {
      const key = `${this.key('rate', installationId)}:${second}`;
      const shared = await optionalRedis(this.redis, async (redis) => ((await redis.multi().incr(key).expire(key, 2).exec()) as [[unknown, number]])[0][1], null);
      if (shared !== null) return shared;
    }
    const w = this.windows.get(installationId);
    if (!w || w.second !== second) this.windows.set(installationId, { second, used: 1 });
    else w.used++;
    return this.windows.get(installationId)!.used;
  }

  private key(kind: string, installationId: string): string {
    return `${this.config.queuePrefix}:scan:throttle:${kind}:${installationId}`;
  }
}
