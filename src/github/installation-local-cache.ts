import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';

const TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;
/** How long the start-up subscription to lifecycle changes may take (connection included). */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * A short-lived in-process layer in front of PostgreSQL and Redis for the token broker's hot path: installation
 * rows and opened installation tokens, per installation. Lifecycle changes (suspend, delete) are broadcast over
 * Redis pub/sub so every process forgets an installation at once; without Redis there is one process.
 */
@Injectable()
export class InstallationLocalCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InstallationLocalCache.name);
  /**
   * Per installation, its entries by key: a lookup builds no string, and forgetting an installation is one delete.
   * The keys: an organization id (a UUID: the installation's row there), `mintable`, and a token's narrowing key
   * (`all`, `r:…`, `p:…`, after 16 hex digits for a GitHub Enterprise Server's), which cannot be mistaken for each other.
   */
  private readonly entries = new Map<string, Map<string, Entry<unknown>>>();
  private size = 0;
  /** Loads in flight per installation, by key: concurrent misses of one entry share one (see `load`). */
  private readonly loading = new Map<string, Map<string, Promise<unknown>>>();
  /** Bumped by every forget: a load that started before one does not store what it read. */
  private epoch = 0;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  private get channel(): string {
    return `${this.config.queuePrefix}:github:installation-changed`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    // Its own connection, made here: the shared client's 1 s command timeout (a bound for requests) would also count
    // the connection's set-up, and a start on a busy machine then failed on this subscribe. Starting may wait longer.
    this.subscriber = this.redis.duplicate({ commandTimeout: SUBSCRIBE_TIMEOUT_MS });
    this.subscriber.on('message', (_channel: string, installationId: string) => this.forgetLocally(installationId));
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  get<T>(installationId: string, key: string): T | undefined {
    const mine = this.entries.get(installationId);
    const hit = mine?.get(key);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      (mine as Map<string, Entry<unknown>>).delete(key);
      this.size--;
      return undefined;
    }
    return hit.value as T;
  }

  set<T>(installationId: string, key: string, value: T, maxTtlMs = TTL_MS): void {
    if (this.size >= MAX_ENTRIES) {
      this.entries.clear();
      this.size = 0;
    }
    let mine = this.entries.get(installationId);
    if (!mine) this.entries.set(installationId, (mine = new Map()));
    if (!mine.has(key)) this.size++;
    mine.set(key, { value, until: Date.now() + Math.min(TTL_MS, maxTtlMs) });
  }

  /**
   * The entry, or what `loader` reads when it is missing or expired, read once however many requests miss it at the
   * same moment. Every TTL_MS the busy installations' entries expire while requests keep arriving (50 connections
   * at 10,000 requests a second bring ten or more into one PostgreSQL round trip); each used to run its own query or
   * Redis read, queueing behind one another on the pool (the p99 of `bench:tokens`). The value is stored for
   * `ttlOf(value)` milliseconds (capped at TTL_MS; 0 stores nothing) unless the installation was forgotten while it
   * was read: a suspension broadcast during the query wins over the row read before it.
   */
  load<T>(installationId: string, key: string, loader: () => Promise<T>, ttlOf: (value: T) => number = () => TTL_MS): Promise<T> {
    const hit = this.get<T>(installationId, key);
    if (hit !== undefined) return Promise.resolve(hit);
    let mine = this.loading.get(installationId);
    const pending = mine?.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    if (!mine) this.loading.set(installationId, (mine = new Map()));
    const loads = mine;
    const epoch = this.epoch;
    const load = loader().then(
      (value) => {
        this.settled(installationId, loads, key);
        const ttl = ttlOf(value);
        if (ttl > 0 && epoch === this.epoch) this.set(installationId, key, value, ttl);
        return value;
      },
      (err: unknown) => {
        this.settled(installationId, loads, key);
        throw err;
      },
    );
    loads.set(key, load);
    return load;
  }

  private settled(installationId: string, loads: Map<string, Promise<unknown>>, key: string): void {
    loads.delete(key);
    if (loads.size === 0 && this.loading.get(installationId) === loads) this.loading.delete(installationId);
  }

  /** Forgets an installation here and, through Redis, in every other process. */
  async forget(installationId: string): Promise<void> {
    this.forgetLocally(installationId);
    if (this.redis) {
      await this.redis.publish(this.channel, installationId).catch((err: Error) => this.logger.warn(`could not broadcast eviction: ${err.message}`));
    }
  }

  private forgetLocally(installationId: string): void {
    this.epoch++;
    // Requests after the forget read afresh rather than join a load that began before it.
    this.loading.delete(installationId);
    const mine = this.entries.get(installationId);
    if (!mine) return;
    this.size -= mine.size;
    this.entries.delete(installationId);
  }
}
