import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, EnqueueOptions, JobHandler, JobInfo, JobQueue, QueueDepth, QueueName } from './job-queue';

interface InProcessJob extends JobInfo {
  queue: QueueName;
  data: unknown;
  attempts: number;
  backoffMs: number;
  runAt: number;
}

interface Processor {
  handler: JobHandler<unknown>;
  concurrency: number;
  active: number;
}

const KEEP_FINISHED = 1000;

/** The embedded default: same semantics as Bull (attempts, exponential backoff, progress), in memory. */
export class InProcessJobQueue extends JobQueue {
  private readonly logger = new Logger('InProcessJobQueue');
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly finished: string[] = [];
  private readonly processors = new Map<string, Processor>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly consume: boolean) {
    super();
  }

  async add<T>(queue: QueueName, name: string, data: T, opts: EnqueueOptions = {}): Promise<string> {
    const id = opts.jobId ?? randomUUID();
    const existing = this.jobs.get(key(queue, id));
    if (existing) return id;
    this.jobs.set(key(queue, id), {
      id,
      name,
      queue,
      data,
      state: opts.delayMs ? 'delayed' : 'waiting',
      progress: 0,
      attemptsMade: 0,
      attempts: opts.attempts ?? DEFAULT_ATTEMPTS,
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      runAt: Date.now() + (opts.delayMs ?? 0),
    });
    this.schedule(0);
    return id;
  }

  process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency = 1): void {
    this.processors.set(`${queue}:${name}`, { handler: handler as JobHandler<unknown>, concurrency, active: 0 });
    this.schedule(0);
  }

  async getJob(queue: QueueName, id: string): Promise<JobInfo | null> {
    const job = this.jobs.get(key(queue, id));
    if (!job) return null;
    const { id: jobId, name, state, progress, attemptsMade, failedReason, returnValue } = job;
    return { id: jobId, name, state, progress, attemptsMade, failedReason, returnValue };
  }

  async depth(queue: QueueName): Promise<QueueDepth> {
    const d: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0 };
    for (const job of this.jobs.values()) {
      if (job.queue !== queue) continue;
      if (job.state === 'waiting' || job.state === 'active' || job.state === 'delayed' || job.state === 'failed') d[job.state]++;
    }
    return d;
  }

  async oldestWaitingSince(queue: QueueName): Promise<number | null> {
    const now = Date.now();
    let oldest: number | null = null;
    for (const job of this.jobs.values()) {
      if (job.queue !== queue || (job.state !== 'waiting' && job.state !== 'delayed') || job.runAt > now) continue;
      if (oldest === null || job.runAt < oldest) oldest = job.runAt;
    }
    return oldest;
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  /** Stops taking jobs and waits for the running ones. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number): void {
    if (!this.consume || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    const now = Date.now();
    let nextAt = Infinity;
    for (const job of this.jobs.values()) {
      if (job.state !== 'waiting' && job.state !== 'delayed') continue;
      if (job.runAt > now) {
        nextAt = Math.min(nextAt, job.runAt);
        continue;
      }
      const processor = this.processors.get(`${job.queue}:${job.name}`);
      if (!processor || processor.active >= processor.concurrency) continue;
      this.start(job, processor);
    }
    if (nextAt !== Infinity) this.schedule(nextAt - now);
  }

  private start(job: InProcessJob, processor: Processor): void {
    job.state = 'active';
    processor.active++;
    const run = (async () => {
      try {
        job.returnValue = await processor.handler({
          id: job.id,
          name: job.name,
          data: job.data,
          attemptsMade: job.attemptsMade,
          progress: async (value) => {
            job.progress = value;
          },
        });
        job.attemptsMade++;
        job.state = 'completed';
        this.onOutcome?.(job.queue, job.name, 'completed');
        this.retire(job);
      } catch (err) {
        job.attemptsMade++;
        job.failedReason = (err as Error).message;
        if (job.attemptsMade < job.attempts) {
          job.state = 'delayed';
          job.runAt = Date.now() + job.backoffMs * 2 ** (job.attemptsMade - 1);
          this.onOutcome?.(job.queue, job.name, 'retried');
        } else {
          job.state = 'failed';
          this.logger.warn(`job ${job.queue}/${job.name} ${job.id} failed after ${job.attemptsMade} attempts: ${job.failedReason}`);
          this.onOutcome?.(job.queue, job.name, 'failed');
          this.retire(job);
        }
      } finally {
        processor.active--;
        this.schedule(0);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private retire(job: InProcessJob): void {
    this.finished.push(key(job.queue, job.id));
    while (this.finished.length > KEEP_FINISHED) this.jobs.delete(this.finished.shift() as string);
  }
}

function key(queue: string, id: string): string {
  return `${queue}:${id}`;
}
