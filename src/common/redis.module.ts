import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { HubConfig } from '../config/hub-config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** A shared ioredis client for caches, limits and locks; `null` when REDIS_URL is unset (embedded mode). */
@Global()
@Module({})
export class RedisModule {
  static forRoot(config: HubConfig): DynamicModule {
    const client = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false }) : null;
    return {
      module: RedisModule,
      providers: [{ provide: REDIS_CLIENT, useValue: client }, RedisCloser],
      exports: [REDIS_CLIENT],
    };
  }
}
