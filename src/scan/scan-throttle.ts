import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../common/redis.module';
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
  async pause(installationId: string, untilMs: number): Promise<void> {
    if (!this.redis) {
      this.pausedUntil.set(installationId, Math.max(untilMs, this.pausedUntil.get(installationId) ?? 0));
      return;
    }
    const ttl = Math.max(1, untilMs - Date.now());
    const current = Number(await this.redis.get(this.key('paused', installationId))) || 0;
    if (untilMs > current) await this.redis.set(this.key('paused', installationId), String(untilMs), 'PX', ttl);
  }

  private async pausedUntilMs(installationId: string): Promise<number> {
    if (!this.redis) return this.pausedUntil.get(installationId) ?? 0;
    return Number(await this.redis.get(this.key('paused', installationId))) || 0;
  }

  private async take(installationId: string, second: number): Promise<number> {
    if (!this.redis) {
      const w = this.windows.get(installationId);
      if (!w || w.second !== second) this.windows.set(installationId, { second, used: 1 });
      else w.used++;
      return this.windows.get(installationId)!.used;
    }
    const key = `${this.key('rate', installationId)}:${second}`;
    const [[, used]] = (await this.redis.multi().incr(key).expire(key, 2).exec()) as [[unknown, number]];
    return used;
  }

  private key(kind: string, installationId: string): string {
    return `${this.config.queuePrefix}:scan:throttle:${kind}:${installationId}`;
  }
}
