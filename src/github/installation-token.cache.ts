import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT } from '../common/redis.module';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

const MINTED_MEMORY_PRUNE_AT = 10_000;

/** A GitHub repository object as GitHub returned it with a narrowed token (not secret; cached with the token). */
export type GithubRepositoryObject = { id: number; node_id: string; name: string; full_name: string; private: boolean } & Record<string, unknown>;

/** What GitHub returned for a mint, as cached and as our broker answers it. */
export interface InstallationToken {
  token: string;
  expires_at: string;
  permissions: Record<string, string>;
  repository_selection: string;
  repositories?: GithubRepositoryObject[];
}

/** A cached token under its cache key (the narrowing part after the installation prefix). */
export interface CachedTokenEntry {
  key: string;
  narrowing: string;
  value: InstallationToken;
}

/**
 * Installation tokens cached until shortly before they expire: sealed in Redis (shared by replicas) or, without
 * Redis, in this process's memory. Never in the database.
 */
@Injectable()
export class InstallationTokenCache {
  private readonly memory = new Map<string, { value: InstallationToken; expiresAtMs: number }>();
  /** Without Redis: hash of a token this hub minted → its installation. */
  private readonly mintedMemory = new Map<string, { installationId: string; expiresAtMs: number }>();

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

  /**
   * Every cached token of an installation, for deciding which to drop (`new_permissions_accepted`). Entries that can
   * no longer be opened (another key ring) are skipped: they expire on their own.
   */
  async entries(installationId: string): Promise<CachedTokenEntry[]> {
    const prefix = this.prefix(installationId);
    if (!this.redis) {
      const now = Date.now();
      return [...this.memory.entries()].filter(([k, v]) => k.startsWith(prefix) && v.expiresAtMs > now).map(([key, v]) => ({ key, narrowing: key.slice(prefix.length), value: v.value }));
    }
    const out: CachedTokenEntry[] = [];
    for (const key of await this.keysUnder(prefix)) {
      const value = await this.get(key).catch(() => null);
      if (value) out.push({ key, narrowing: key.slice(prefix.length), value });
    }
    return out;
  }

  async drop(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    if (!this.redis) {
      for (const k of keys) this.memory.delete(k);
      return;
    }
    await this.redis.del(...keys);
  }

  /**
   * Remembers that this hub minted `token` (by its SHA-256, never the token) for the installation, until it expires:
   * `GET /api/installation/repositories` answers only for tokens the hub handed out.
   */
  async rememberMinted(token: string, installationId: string, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    const key = this.mintedKey(token);
    if (!this.redis) {
      const now = Date.now();
      // Entries are dropped when looked up after expiry; a process that mints many and is asked little prunes here.
      if (this.mintedMemory.size >= MINTED_MEMORY_PRUNE_AT) for (const [k, v] of this.mintedMemory) if (v.expiresAtMs <= now) this.mintedMemory.delete(k);
      this.mintedMemory.set(key, { installationId, expiresAtMs: now + ttlMs });
      return;
    }
    // While Redis is unreachable the token is still handed out; only the later look-up by token cannot find it.
    await optionalRedis(this.redis, (redis) => redis.set(key, installationId, 'PX', ttlMs), null);
  }

  /** The installation a token this hub minted belongs to, or null (unknown, or expired). */
  async mintedFor(token: string): Promise<string | null> {
    const key = this.mintedKey(token);
    if (!this.redis) {
      const hit = this.mintedMemory.get(key);
      if (hit && hit.expiresAtMs > Date.now()) return hit.installationId;
      this.mintedMemory.delete(key);
      return null;
    }
    return optionalRedis(this.redis, (redis) => redis.get(key), null);
  }

  /** Forgets every token of an installation (suspended, deleted). */
  async evictInstallation(installationId: string): Promise<void> {
    const prefix = this.prefix(installationId);
    if (!this.redis) {
      for (const k of this.memory.keys()) if (k.startsWith(prefix)) this.memory.delete(k);
      return;
    }
    await this.drop(await this.keysUnder(prefix));
  }

  private async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis!.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  private mintedKey(token: string): string {
    return `${this.config.queuePrefix}:github:minted:${createHash('sha256').update(token).digest('hex')}`;
  }

  private prefix(installationId: string): string {
    return `${this.config.queuePrefix}:github:itoken:${installationId}:`;
  }
}

const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

function sealContext(key: string) {
  return { table: 'redis', rowId: key, field: 'installation_token' };
}
