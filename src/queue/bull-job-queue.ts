import type { Job, Queue } from 'bull';
import { serviceUnavailable } from '../common/common.errors';
import { HubError } from '../common/hub-error';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, EnqueueOptions, JobHandler, JobInfo, JobQueue, JobState, QueueDepth, QueueName } from './job-queue';

/** Longest a request waits on the queue; Bull's own client would otherwise wait out a Redis outage. */
const QUEUE_CALL_TIMEOUT_MS = 2000;

/**
 * Bull on Redis: jobs survive restarts and are shared by every worker process. Calls from request paths fail
 * fast with 503 and Retry-After while Redis is unreachable (at once when disconnected, after
 * QUEUE_CALL_TIMEOUT_MS when it hangs) instead of waiting in Bull's offline queue for the whole outage.
 */
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
    const q = this.queue(queue);
    const job = await this.bounded(q, () =>
      q.add(name, data, {
        jobId: opts.jobId,
        attempts: opts.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential', delay: opts.backoffMs ?? DEFAULT_BACKOFF_MS },
        delay: opts.delayMs,
        removeOnComplete: 1000,
        removeOnFail: 1000,
      }),
    );
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
        // Progress is informational: a Redis hiccup must not fail the work it reports on.
        progress: async (value) => {
          await job.progress(value).catch(() => undefined);
        },
      }),
    );
  }

  async getJob(queue: QueueName, id: string): Promise<JobInfo | null> {
    const q = this.queue(queue);
    const job = await this.bounded(q, () => q.getJob(id));
    if (!job) return null;
    const state = (await this.bounded(q, () => job.getState())) as string;
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
    const q = this.queue(queue);
    const c = await this.bounded(q, () => q.getJobCounts());
    return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
  }

  async oldestWaitingSince(queue: QueueName): Promise<number | null> {
    const q = this.queue(queue);
    // Jobs are pushed on the left and taken from the right: ascending order starts at the next job to run.
    const [head] = await this.bounded(q, () => q.getJobs(['waiting'], 0, 0, true));
    return head ? head.timestamp + (head.opts.delay ?? 0) : null;
  }

  async ping(): Promise<boolean> {
    const q = this.queue('email');
    return (await this.bounded(q, () => q.client.ping()).catch(() => null)) === 'PONG';
  }

  private async bounded<T>(q: Queue, call: () => Promise<T>): Promise<T> {
    if (q.client.status !== 'ready') throw serviceUnavailable('The job queue');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(serviceUnavailable('The job queue')), QUEUE_CALL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (err) {
      throw err instanceof HubError ? err : serviceUnavailable('The job queue');
    } finally {
      clearTimeout(timer);
    }
  }

  private queue(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }
}
