import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { JobQueue } from '../queue/job-queue';
import { SCAN_JOB, SCAN_JOB_ATTEMPTS, ScanJobData } from './scan-job';
import { ScanRunner } from './scan-runner';
import { ScanSchedulesService } from './scan-schedules.service';

/** Organizations scanned at once by one worker process. */
const SCAN_CONCURRENCY = 2;

/**
 * Consumes scan jobs (workers only) and watches for scans whose worker died: a scan still `scanning` whose lease
 * expired gets a resume job (its id derived from the expired lease, so several watchdogs enqueue it once). The same
 * watch starts scheduled scans when they are due.
 */
@Injectable()
export class ScanProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ScanProcessor');
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly queue: JobQueue,
    private readonly runner: ScanRunner,
    private readonly schedules: ScanSchedulesService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    this.queue.process<ScanJobData>(
      'scan',
      SCAN_JOB,
      async (job) => this.runner.run(job.data.scanId, (percent) => job.progress(percent), job.attemptsMade + 1 >= SCAN_JOB_ATTEMPTS),
      SCAN_CONCURRENCY,
    );
    if (this.config.role === 'api') return;
    const tick = async () => {
      await this.resumeOrphans();
      await this.schedules.runDue();
    };
    this.watchdog = setInterval(() => void tick().catch((err: Error) => this.logger.warn(`scan watchdog: ${err.message}`)), this.config.scan.watchdogIntervalMs);
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    if (this.watchdog) clearInterval(this.watchdog);
  }

  /**
   * Re-enqueues scans whose lease expired (worker killed), whose lease was released for a retry that never came
   * (the queue lost the job, e.g. Redis restarted empty: a missing lease counts as expired once the retry is
   * overdue), or that were queued but never picked up.
   */
  async resumeOrphans(): Promise<void> {
    const orphans: Array<{ id: string; mark: string }> = await this.db.query(
      `SELECT id, CASE WHEN status = 'scanning' AND lease_until IS NOT NULL THEN 'resume-' || floor(extract(epoch FROM lease_until) * 1000)::text
                       WHEN status = 'scanning' THEN 'released-' || floor(extract(epoch FROM updated_at) * 1000)::text
                       ELSE 'requeue-' || floor(extract(epoch FROM now()) / $1)::text END AS mark
       FROM github_scans
       WHERE (status = 'scanning' AND lease_until < now())
          OR (status = 'scanning' AND lease_until IS NULL AND updated_at < now() - make_interval(secs => $1))
          OR (status = 'queued' AND lease_owner IS NULL AND created_at < now() - make_interval(secs => $1))
       LIMIT 100`,
      [this.config.scan.leaseSeconds * 2],
    );
    for (const o of orphans) {
      this.logger.warn(`resuming scan ${o.id} (${o.mark.split('-')[0]})`);
      await this.queue.add<ScanJobData>('scan', SCAN_JOB, { scanId: o.id }, { jobId: `${o.id}:${o.mark}`, attempts: SCAN_JOB_ATTEMPTS });
    }
  }
}
