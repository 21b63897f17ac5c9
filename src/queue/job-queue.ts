/** Every queue the hub uses; Bull registers exactly these. */
export const QUEUE_NAMES = ['email', 'integrations', 'webhooks', 'scan', 'events'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobContext<T> {
  id: string;
  name: string;
  data: T;
  /** Attempts already made before this one. */
  attemptsMade: number;
  progress(value: number | Record<string, unknown>): Promise<void>;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<unknown>;

export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that is still known is not added twice. */
  jobId?: string;
  attempts?: number;
  /** Exponential backoff base between attempts. */
  backoffMs?: number;
  delayMs?: number;
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  progress: unknown;
  /** Attempts made so far, the successful one included. */
  attemptsMade: number;
  failedReason?: string;
  returnValue?: unknown;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * What feature modules use to run background work. Backed by Bull on Redis when REDIS_URL is set,
 * otherwise by an in-process runner with the same retries, backoff and progress reporting.
 */
export abstract class JobQueue {
  abstract add<T>(queue: QueueName, name: string, data: T, opts?: EnqueueOptions): Promise<string>;
  /** Registers a processor; it only consumes in processes whose HUB_ROLE is worker or all. */
  abstract process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency?: number): void;
  abstract getJob(queue: QueueName, id: string): Promise<JobInfo | null>;
  abstract depth(queue: QueueName): Promise<QueueDepth>;
  /**
   * Since when (epoch ms) the oldest job that could run has been waiting for a worker: the queue's head, or null
   * when nothing waits. A delayed job counts from the end of its delay.
   */
  abstract oldestWaitingSince(queue: QueueName): Promise<number | null>;
  abstract ping(): Promise<boolean>;
  /** Hook for metrics: called once per finished attempt. */
  onOutcome?: (queue: QueueName, name: string, outcome: 'completed' | 'failed' | 'retried') => void;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;
