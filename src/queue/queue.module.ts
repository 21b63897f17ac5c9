import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import type { HubConfig } from '../config/hub-config';
import { BullJobQueue } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUE_NAMES, QueueName } from './job-queue';

@Injectable()
class InProcessQueueCloser implements OnApplicationShutdown {
  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.queue instanceof InProcessJobQueue) await this.queue.close();
  }
}

/** Provides `JobQueue`: Bull (via @nestjs/bull) when REDIS_URL is set, the in-process runner otherwise. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: HubConfig): DynamicModule {
    const consume = config.role !== 'api';
    if (!config.redisUrl) {
      return {
        module: QueueModule,
        providers: [{ provide: JobQueue, useValue: new InProcessJobQueue(consume) }, InProcessQueueCloser],
        exports: [JobQueue],
      };
    }
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({ redis: config.redisUrl, prefix: config.queuePrefix }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        {
          provide: JobQueue,
          inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) =>
            new BullJobQueue(new Map(QUEUE_NAMES.map((name, i) => [name as QueueName, queues[i]])), consume),
        },
      ],
      exports: [JobQueue],
    };
  }
}
