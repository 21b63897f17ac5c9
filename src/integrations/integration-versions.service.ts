import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS_CLIENT, redisUp } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

/** Longer than any in-process cache keeps a row; an expired version reads as a change (a miss), never as a match. */
const VERSION_TTL_MS = 7 * 24 * 3600_000;

/**
 * The version of each integration row, for caches that keep rows in process (the provider proxy): every committed
 * change (connect, reconnect, configuration, status, credential refresh, disconnect, delete) gives the integration a
 * new random version, in Redis so every replica sees it (and in this process). A cache compares the version it read
 * before loading a row with the current one, which the proxy reads in the same Redis round trip as its limits: a
 * change is seen by the next call on any replica, with no extra round trip. Local listeners drop rows at once here.
 */
@Injectable()
export class IntegrationVersions {
  private readonly logger = new Logger(IntegrationVersions.name);
  /** Without Redis (one process): the versions themselves. */
  private readonly local = new Map<string, string>();
  private readonly listeners: Array<(ids: string[]) => void> = [];

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** The Redis key holding an integration's version (read by the proxy limiter's script). */
  key(integrationId: string): string {
    return `${this.config.queuePrefix}:integration:${integrationId}:version`;
  }

  /** Called when an integration changed, here or (through the version) elsewhere: the listener drops what it holds. */
  onChange(listener: (ids: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** The version without Redis; '' until the first change. */
  localVersion(integrationId: string): string {
    return this.local.get(integrationId) ?? '';
  }

  /** The current version, read before loading a row; undefined when it cannot be known (Redis down): do not cache. */
  async current(integrationId: string): Promise<string | undefined> {
    if (!this.redis) return this.localVersion(integrationId);
    if (!redisUp(this.redis)) return undefined;
    try {
      return (await this.redis.get(this.key(integrationId))) ?? '';
    } catch {
      return undefined;
    }
  }

  /**
   * After a change to these integrations has COMMITTED (a version set before the commit could let a reader cache the
   * old row under the new version). A Redis failure is logged: other replicas then notice within their cache's TTL.
   */
  async changed(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const version = randomUUID();
    if (!this.redis) {
      if (this.local.size > 100_000) this.local.clear();
      for (const id of ids) this.local.set(id, version);
    }
    for (const listener of this.listeners) listener(ids);
    if (!this.redis) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.set(this.key(id), version, 'PX', VERSION_TTL_MS);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) throw failed[0] as Error;
    } catch (err) {
      this.logger.warn(`integration change not announced to other replicas (their caches catch up within seconds): ${(err as Error).message}`);
    }
  }
}
