import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT, requireRedis } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubChangeEvents } from '../github/github-change-events';

/**
 * GitHub REST responses kept with their ETag, per installation, so a rescan asks GitHub conditionally
 * (If-None-Match): GitHub's 304 is authoritative and free of rate limit, so a kept body is only ever reused after
 * GitHub said it is current. Nothing is served without asking. Entries live under a generation number: invalidating
 * (the `scan-cache/invalidate` route, or a webhook announcing a change) bumps it (O(1)) and the next reads are
 * unconditional; old entries expire on their own. In memory without Redis.
 */
@Injectable()
export class ScanCache implements OnModuleInit {
  private readonly memory = new Map<string, { value: string; expiresAtMs: number }>();
  private readonly generations = new Map<string, number>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly changes: GithubChangeEvents,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe((change) => this.invalidate(change.installationId));
  }

  get enabled(): boolean {
    return this.config.scan.cacheTtlSeconds > 0;
  }

  async getValidated<T>(installationId: string, entry: string): Promise<{ etag: string; value: T } | null> {
    if (!this.enabled) return null;
    const key = await this.key(installationId, entry);
    let raw: string | null;
    // An unreachable cache is a miss: the scan reads GitHub instead.
    if (this.redis) raw = await optionalRedis(this.redis, (redis) => redis.get(key), null);
    else {
      const hit = this.memory.get(key);
      raw = hit && hit.expiresAtMs > Date.now() ? hit.value : null;
    }
    return raw ? (JSON.parse(raw) as { etag: string; value: T }) : null;
  }

  async setValidated(installationId: string, entry: string, etag: string | null, value: unknown): Promise<void> {
    if (!this.enabled || !etag) return;
    const key = await this.key(installationId, entry);
    const json = JSON.stringify({ etag, value });
    // An unreachable cache keeps nothing: the next scan reads GitHub unconditionally.
    if (this.redis) await optionalRedis(this.redis, (redis) => redis.set(key, json, 'EX', this.config.scan.cacheTtlSeconds), null);
    else this.memory.set(key, { value: json, expiresAtMs: Date.now() + this.config.scan.cacheTtlSeconds * 1000 });
  }

  /** Forgets everything kept for the installation: its next reads are unconditional. */
  async invalidate(installationId: string): Promise<void> {
    if (this.redis) await requireRedis(this.redis, 'The scan cache', (redis) => redis.incr(this.generationKey(installationId)));
    else {
      this.generations.set(installationId, (this.generations.get(installationId) ?? 0) + 1);
      for (const k of this.memory.keys()) if (k.startsWith(`${installationId}:`)) this.memory.delete(k);
    }
  }

  private async key(installationId: string, entry: string): Promise<string> {
    const generation = this.redis ? Number(await optionalRedis(this.redis, (redis) => redis.get(this.generationKey(installationId)), null)) || 0 : (this.generations.get(installationId) ?? 0);
    const local = `${installationId}:${generation}:${entry}`;
    return this.redis ? `${this.config.queuePrefix}:scan:cache:${local}` : local;
  }

  private generationKey(installationId: string): string {
    return `${this.config.queuePrefix}:scan:cache-gen:${installationId}`;
  }
}
