import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { REDIS_CLIENT } from './redis.module';
import { SnowflakeGenerator } from './snowflake';

const LEASE_SECONDS = 60;
const WORKER_IDS = 1024;

/** Extends the lease if it is still ours; takes it back if Redis lost it (1); 0 when another process holds it. */
const RENEW_LEASE = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then redis.call('EXPIRE', KEYS[1], ARGV[2]) return 1 end
if not owner then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end
return 0`;
/** Deletes the lease only when it is ours. */
const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Hands out snowflake ids. Each process leases a worker id in Redis (SET NX with a TTL, refreshed) so
 * that replicas never share one; without Redis there is a single process and any id will do.
 */
@Injectable()
export class SnowflakeService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SnowflakeService.name);
  private generator: SnowflakeGenerator | null = null;
  private leaseKey: string | null = null;
  private refresh: NodeJS.Timeout | null = null;
  workerId = -1;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** This process's lease value: its pid and a random token, so only its owner renews or releases a lease. */
  private readonly owner = `${process.pid}:${randomUUID()}`;

  async onModuleInit(): Promise<void> {
    if (!this.redis) {
      this.workerId = randomInt(WORKER_IDS);
    } else {
      await this.lease(this.redis);
      this.refresh = setInterval(() => void this.renew().catch((err: Error) => this.logger.warn(`lease refresh failed: ${err.message}`)), (LEASE_SECONDS * 1000) / 6);
      this.refresh.unref();
    }
    this.generator = new SnowflakeGenerator(this.workerId);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.refresh) clearInterval(this.refresh);
    if (this.redis && this.leaseKey) await this.redis.eval(RELEASE_LEASE, 1, this.leaseKey, this.owner).catch(() => undefined);
  }

  /**
   * Renews the lease, re-taking it when Redis lost it (a flush or a restart); if another process took the id
   * meanwhile, leases a new one, so two processes never generate with one worker id for longer than a renewal.
   */
  async renew(): Promise<void> {
    if (!this.redis || !this.leaseKey) return;
    const held = await this.redis.eval(RENEW_LEASE, 1, this.leaseKey, this.owner, LEASE_SECONDS);
    if (held === 1) return;
    this.logger.warn(`snowflake worker id ${this.workerId} was taken by another process; leasing a new one`);
    await this.lease(this.redis);
    this.generator = new SnowflakeGenerator(this.workerId);
  }

  private async lease(redis: Redis): Promise<void> {
    const start = randomInt(WORKER_IDS);
    for (let i = 0; i < WORKER_IDS; i++) {
      const id = (start + i) % WORKER_IDS;
      const key = `${this.config.queuePrefix}:snowflake:worker:${id}`;
      if ((await redis.set(key, this.owner, 'EX', LEASE_SECONDS, 'NX')) === 'OK') {
        this.workerId = id;
        this.leaseKey = key;
        return;
      }
    }
    throw new Error('no free snowflake worker id: more than 1024 live processes share this Redis prefix');
  }

  next(): string {
    if (!this.generator) throw new Error('SnowflakeService used before initialization');
    return this.generator.next();
  }
}
