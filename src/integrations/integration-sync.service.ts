import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobContext, JobQueue } from '../queue/job-queue';
import { SYNC_JOB, SyncJobData } from './integration-object.service';
import { IntegrationStatus } from './integration.enums';
import { IntegrationsService } from './integrations.service';
import { ProviderRegistry } from './providers/provider-registry.service';

const SYNC_PAGE_SIZE = 100;
const SYNC_MAX_PAGES = 10;

/** The `integrations/sync` job: refreshes the integration's repositories/metadata and `last_synced_at`. */
@Injectable()
export class IntegrationSyncService implements OnModuleInit {
  private readonly logger = new Logger(IntegrationSyncService.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly integrations: IntegrationsService,
    private readonly registry: ProviderRegistry,
  ) {}

  onModuleInit(): void {
    this.queue.process<SyncJobData>('integrations', SYNC_JOB, (job) => this.run(job), 2);
  }

  async run(job: JobContext<SyncJobData>): Promise<{ repos: number } | { skipped: string }> {
    const row = await this.integrations.findInOrganization(job.data.organizationId, job.data.integrationId).catch(() => null);
    if (!row || !row.enabled || row.status === IntegrationStatus.Disconnected) return { skipped: 'integration missing, disabled or disconnected' };
    const adapter = this.registry.get(row.provider);
    if (adapter.sync) {
      await adapter.sync(row);
    } else {
      const names: string[] = [];
      let total = 0;
      for (let page = 1; page <= SYNC_MAX_PAGES; page++) {
        const result = await adapter.listRepos(row, { page, perPage: SYNC_PAGE_SIZE });
        total = result.total;
        names.push(...result.repos.map((r) => r.name));
        await job.progress(Math.min(100, Math.round((names.length / Math.max(total, 1)) * 100)));
        if (result.repos.length < SYNC_PAGE_SIZE || names.length >= total) break;
      }
      await this.integrations.update(row, { metadata: { ...row.metadata, repos_total: total, repos: names } });
    }
    await this.integrations.update(row, { lastSyncedAt: new Date() });
    this.logger.log(`synced integration ${row.id} (${row.provider})`);
    return { repos: Array.isArray(row.metadata.repos) ? row.metadata.repos.length : 0 };
  }
}
