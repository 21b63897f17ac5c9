import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT } from '../common/redis.module';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

/** What GitHub returned for a mint, as cached and as our broker answers it. */
export interface InstallationToken {
  token: string;
  expires_at: string;
  permissions: Record<string, string>;
  repository_selection: string;
  repositories?: Array<{ id: number; node_id: string; name: string; full_name: string; private: boolean }>;
}

/**
 * Installation tokens cached until shortly before they expire: sealed in Redis (shared by replicas) or, without
 * Redis, in this process's memory. Never in the database.
 */
@Injectable()
export class InstallationTokenCache {
  private readonly memory = new Map<string, { value: InstallationToken; expiresAtMs: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly keyRing: KeyRing,
  ) {}

  key(installationId: string, narrowing: string): string {
    return `${this.prefix(installationId)}${narrowing}`;
  }

  async get(key: string): Promise<InstallationToken | null> {
    if (!this.redis) {
      const hit = this.memory.get(key);
      if (hit && hit.expiresAtMs > Date.now()) return hit.value;
      this.memory.delete(key);
      return null;
    }
    // Unreachable Redis is a miss: the broker mints afresh rather than failing.
    const sealed = await optionalRedis(this.redis, (redis) => redis.get(key), null);
    return sealed ? (JSON.parse(this.keyRing.open(sealed, sealContext(key))) as InstallationToken) : null;
  }

  async set(key: string, value: InstallationToken, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    if (!this.redis) {
      this.memory.set(key, { value, expiresAtMs: Date.now() + ttlMs });
      return;
    }
    const sealed = this.keyRing.seal(JSON.stringify(value), sealContext(key));
    await optionalRedis(this.redis, (redis) => redis.set(key, sealed, 'PX', ttlMs), null);
  }

  /**
   * A short cross-replica lock for minting one key: true when this caller should mint. Without Redis, or while it
   * is unreachable, every replica mints for itself (the in-process single flight still applies).
   */
  async acquireMintLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!this.redis) return true;
    return (await optionalRedis(this.redis, (redis) => redis.set(`${key}:mint-lock`, owner, 'PX', ttlMs, 'NX'), 'OK')) === 'OK';
  }

  async releaseMintLock(key: string, owner: string): Promise<void> {
    if (!this.redis) return;
    await optionalRedis(this.redis, (redis) => redis.eval(RELEASE_IF_OWNER, 1, `${key}:mint-lock`, owner), null);
  }

  /** Forgets every token of an installation (suspended, deleted). */
  async evictInstallation(installationId: string): Promise<void> {
    const prefix = this.prefix(installationId);
    if (!this.redis) {
      for (const k of this.memory.keys()) if (k.startsWith(prefix)) this.memory.delete(k);
      return;
    }
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  private prefix(installationId: string): string {
    return `${this.config.queuePrefix}:github:itoken:${installationId}:`;
  }
}

const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

function sealContext(key: string) {
  return { table: 'redis', rowId: key, field: 'installation_token' };
}
