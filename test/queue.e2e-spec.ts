import { JobQueue } from '../src/queue/job-queue';
import { startTestHub, TestHub } from './support/hub-harness';
import { poll } from './support/poll';

const until = <T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> => poll(probe, { timeoutMs, intervalMs: 25, what: 'job condition' });

describe.each([
  ['Bull on Redis', true],
  ['in-process runner', false],
])('JobQueue: %s', (_name, redis) => {
  let t: TestHub;
  let queue: JobQueue;
  const attempts: number[] = [];
  let failingCalls = 0;
  beforeAll(async () => {
    t = await startTestHub({ redis });
    // JobQueue itself is under test (both backends); no HTTP route enqueues arbitrary jobs.
    queue = t.hub.app.get(JobQueue);
    // Processors are registered once, before jobs flow, as modules do in onModuleInit.
    queue.process<{ n: number }>('scan', 'flaky-test-job', async (job) => {
      attempts.push(Date.now());
      await job.progress(job.attemptsMade * 40);
      if (job.attemptsMade < 2) throw new Error(`boom ${job.attemptsMade}`);
      await job.progress(100);
      return { doubled: job.data.n * 2 };
    });
    queue.process('scan', 'always-fails', async () => {
      failingCalls++;
      throw new Error('provider said no');
    });
  });
  afterAll(async () => t?.close());

  it('retries with backoff, reports progress and returns the result', async () => {
    const id = await queue.add('scan', 'flaky-test-job', { n: 21 }, { attempts: 5, backoffMs: 100 });
    const done = await until(async () => {
      const info = await queue.getJob('scan', id);
      return info?.state === 'completed' ? info : null;
    });
    expect(done).toMatchObject({ attemptsMade: 3, progress: 100, returnValue: { doubled: 42 } });
    expect(attempts).toHaveLength(3);
    // Exponential backoff: ~100 ms then ~200 ms.
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(90);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(180);
  });

  it('gives up after the configured attempts and keeps the reason; de-duplicates by job id', async () => {
    const id = await queue.add('scan', 'always-fails', {}, { attempts: 2, backoffMs: 10, jobId: 'fixed-id-1' });
    expect(await queue.add('scan', 'always-fails', {}, { attempts: 2, backoffMs: 10, jobId: 'fixed-id-1' })).toBe(id);
    const failed = await until(async () => {
      const info = await queue.getJob('scan', id);
      return info?.state === 'failed' ? info : null;
    });
    expect(failed).toMatchObject({ attemptsMade: 2, failedReason: 'provider said no' });
    expect(failingCalls).toBe(2);
    expect((await queue.depth('scan')).failed).toBeGreaterThanOrEqual(1);
  });
});

describe('JobQueue: HUB_ROLE=api does not consume', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_ROLE: 'api' } });
  });
  afterAll(async () => t?.close());

  it('enqueues for workers but never runs processors itself', async () => {
    const queue = t.hub.app.get(JobQueue); // as above: the queue is what is tested
    let ran = false;
    queue.process('integrations', 'api-only', async () => {
      ran = true;
    });
    const id = await queue.add('integrations', 'api-only', {});
    // An absence cannot be polled for: this wait is the test (a consuming queue runs such a job within ~25 ms).
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toBe(false);
    expect((await queue.getJob('integrations', id))?.state).toBe('waiting');
    expect((await queue.depth('integrations')).waiting).toBe(1);
  });
});
