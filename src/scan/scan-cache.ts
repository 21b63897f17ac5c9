import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT, requireRedis } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

/**
 * Pages of repositories fetched from GitHub, per installation, so a rescan of an unchanged organization reads
 * almost nothing from GitHub. Entries live under a generation number: invalidating bumps it (O(1)) and the old
 * entries expire on their own. In memory without Redis.
 */
@Injectable()
export class ScanCache {
  private readonly memory = new Map<string, { value: string; expiresAtMs: number }>();
  private readonly generations = new Map<string, number>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  get enabled(): boolean {
    return this.config.scan.cacheTtlSeconds > 0;
  }

  async get<T>(installationId: string, entry: string): Promise<T | null> {
    if (!this.enabled) return null;
    return this.read<T>(await this.key(installationId, entry));
  }

  async set(installationId: string, entry: string, value: unknown): Promise<void> {
    if (!this.enabled) return;
    await this.write(await this.key(installationId, entry), value);
  }

  /**
   * A GitHub response kept with its ETag for a conditional request. Outside the generation: invalidating still makes
   * the next scan ask GitHub, and GitHub's 304 (authoritative, free of rate limit) lets it reuse the kept body.
   */
  async getValidated<T>(installationId: string, entry: string): Promise<{ etag: string; value: T } | null> {
    if (!this.enabled) return null;
    return this.read<{ etag: string; value: T }>(this.validatedKey(installationId, entry));
  }

  async setValidated(installationId: string, entry: string, etag: string | null, value: unknown): Promise<void> {
    if (!this.enabled || !etag) return;
    await this.write(this.validatedKey(installationId, entry), { etag, value });
  }

  private async read<T>(key: string): Promise<T | null> {
    let raw: string | null;
    // An unreachable cache is a miss: the scan reads GitHub instead.
    if (this.redis) raw = await optionalRedis(this.redis, (redis) => redis.get(key), null);
    else {
      const hit = this.memory.get(key);
      raw = hit && hit.expiresAtMs > Date.now() ? hit.value : null;
    }
    return raw ? (JSON.parse(raw) as T) : null;
  }

  private async write(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    if (this.redis) await optionalRedis(this.redis, (redis) => redis.set(key, json, 'EX', this.config.scan.cacheTtlSeconds), null);
    else this.memory.set(key, { value: json, expiresAtMs: Date.now() + this.config.scan.cacheTtlSeconds * 1000 });
  }

  /** Forgets everything cached for the installation (kept ETags only make the next reads conditional). */
  async invalidate(installationId: string): Promise<void> {
    if (this.redis) await requireRedis(this.redis, 'The scan cache', (redis) => redis.incr(this.generationKey(installationId)));
    else {
      this.generations.set(installationId, (this.generations.get(installationId) ?? 0) + 1);
      for (const k of this.memory.keys()) if (k.startsWith(`${installationId}:`) && !k.startsWith(`${installationId}:etag:`)) this.memory.delete(k);
    }
  }

  private async key(installationId: string, entry: string): Promise<string> {
    const generation = this.redis ? Number(await optionalRedis(this.redis, (redis) => redis.get(this.generationKey(installationId)), null)) || 0 : (this.generations.get(installationId) ?? 0);
    const local = `${installationId}:${generation}:${entry}`;
    return this.redis ? `${this.config.queuePrefix}:scan:cache:${local}` : local;
  }

  private validatedKey(installationId: string, entry: string): string {
    const local = `${installationId}:etag:${entry}`;
    return this.redis ? `${this.config.queuePrefix}:scan:cache:${local}` : local;
  }

  private generationKey(installationId: string): string {
    return `${this.config.queuePrefix}:scan:cache-gen:${installationId}`;
  }
}
