import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type Redis from 'ioredis';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { REDIS_CLIENT } from './redis.module';
import { SnowflakeGenerator } from './snowflake';

const LEASE_SECONDS = 60;
const WORKER_IDS = 1024;

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

  async onModuleInit(): Promise<void> {
    if (!this.redis) {
      this.workerId = randomInt(WORKER_IDS);
    } else {
      const start = randomInt(WORKER_IDS);
      for (let i = 0; i < WORKER_IDS && this.workerId < 0; i++) {
        const id = (start + i) % WORKER_IDS;
        const key = `${this.config.queuePrefix}:snowflake:worker:${id}`;
        if ((await this.redis.set(key, String(process.pid), 'EX', LEASE_SECONDS, 'NX')) === 'OK') {
          this.workerId = id;
          this.leaseKey = key;
        }
      }
      if (this.workerId < 0) throw new Error('no free snowflake worker id: more than 1024 live processes share this Redis prefix');
      this.refresh = setInterval(() => {
        void this.redis?.expire(this.leaseKey as string, LEASE_SECONDS).catch((err: Error) => this.logger.warn(`lease refresh failed: ${err.message}`));
      }, (LEASE_SECONDS * 1000) / 3);
      this.refresh.unref();
    }
    this.generator = new SnowflakeGenerator(this.workerId);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.refresh) clearInterval(this.refresh);
    if (this.redis && this.leaseKey) await this.redis.del(this.leaseKey).catch(() => undefined);
  }

  next(): string {
    if (!this.generator) throw new Error('SnowflakeService used before initialization');
    return this.generator.next();
  }
}
