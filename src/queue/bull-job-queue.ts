import type { Job, Queue } from 'bull';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, EnqueueOptions, JobHandler, JobInfo, JobQueue, JobState, QueueDepth, QueueName } from './job-queue';

/** Bull on Redis: jobs survive restarts and are shared by every worker process. */
export class BullJobQueue extends JobQueue {
  constructor(
    private readonly queues: ReadonlyMap<QueueName, Queue>,
    private readonly consume: boolean,
  ) {
    super();
    for (const [name, queue] of queues) {
      queue.on('completed', (job: Job) => this.onOutcome?.(name, job.name, 'completed'));
      queue.on('failed', (job: Job) =>
        this.onOutcome?.(name, job.name, job.attemptsMade >= (job.opts.attempts ?? 1) ? 'failed' : 'retried'),
      );
    }
  }

  async add<T>(queue: QueueName, name: string, data: T, opts: EnqueueOptions = {}): Promise<string> {
    const job = await this.queue(queue).add(name, data, {
      jobId: opts.jobId,
      attempts: opts.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: opts.backoffMs ?? DEFAULT_BACKOFF_MS },
      delay: opts.delayMs,
      removeOnComplete: 1000,
      removeOnFail: 1000,
    });
    return String(job.id);
  }

  process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency = 1): void {
    if (!this.consume) return;
    void this.queue(queue).process(name, concurrency, async (job: Job<T>) =>
      handler({
        id: String(job.id),
        name: job.name,
        data: job.data,
        attemptsMade: job.attemptsMade,
        progress: async (value) => {
          await job.progress(value);
        },
      }),
    );
  }

  async getJob(queue: QueueName, id: string): Promise<JobInfo | null> {
    const job = await this.queue(queue).getJob(id);
    if (!job) return null;
    const state = (await job.getState()) as string;
    return {
      id: String(job.id),
      name: job.name,
      state: (state === 'paused' || state === 'stuck' ? 'waiting' : state) as JobState,
      progress: job.progress(),
      // Bull counts failed attempts only; JobInfo counts every attempt, the successful one included.
      attemptsMade: job.attemptsMade + (state === 'completed' ? 1 : 0),
      failedReason: job.failedReason,
      returnValue: job.returnvalue,
    };
  }

  async depth(queue: QueueName): Promise<QueueDepth> {
    const c = await this.queue(queue).getJobCounts();
    return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
  }

  async ping(): Promise<boolean> {
    const client = this.queue('email').client;
    return (await client.ping()) === 'PONG';
  }

  private queue(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }
}
