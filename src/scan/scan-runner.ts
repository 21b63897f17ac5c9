import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubInstallationEntity } from '../github/github-installation.entity';
import { FetchedPage, GithubOrgFetcher, ScanAborted } from './github-org-fetcher';
import { GithubOrgLevelReader } from './github-org-level-reader';
import { withOrgLevelData } from './org-level-data';
import { completeBaseline } from './scan-baseline';
import { findingsFor } from './scan-findings';
import { ScanCheckpoint, ScanEntity } from './scan.entity';

/** Finished scans (and their results) kept per organization; older ones are deleted when a scan completes. */
const KEEP_FINISHED_SCANS = 5;

export type RunOutcome = 'completed' | 'skipped' | 'aborted';

/**
 * Runs one scan under a lease: claims it, renews the lease while it works, stores each page of results and the
 * checkpoint after it in one transaction, and stops as soon as the scan is cancelled or its lease is lost. A scan
 * whose worker died is resumed from its checkpoint by whichever worker claims the expired lease.
 */
@Injectable()
export class ScanRunner {
  private readonly logger = new Logger('ScanRunner');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly fetcher: GithubOrgFetcher,
    private readonly orgLevel: GithubOrgLevelReader,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async run(scanId: string, onProgress: (percent: number) => Promise<void>, finalAttempt: boolean): Promise<RunOutcome> {
    const owner = randomUUID();
    const scan = await this.claim(scanId, owner);
    if (!scan) return 'skipped';
    const abort = new AbortController();
    const renew = setInterval(() => void this.renew(scanId, owner).then((held) => held || abort.abort(), () => undefined), (this.config.scan.leaseSeconds * 1000) / 3);
    try {
      await this.scanInstallations(scan, owner, abort.signal, onProgress);
      const done = await this.db.query(
        `UPDATE github_scans SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND lease_owner = $2 AND status = 'scanning' RETURNING id`,
        [scanId, owner],
      );
      if (!rowsOf(done).length) return 'aborted';
      await this.prune(scan.organizationId);
      return 'completed';
    } catch (err) {
      if (err instanceof ScanAborted || abort.signal.aborted) return 'aborted';
      const message = err instanceof HubError ? err.message : 'Internal error while scanning';
      if (!(err instanceof HubError)) this.logger.error(`scan ${scanId} failed: ${(err as Error).stack ?? err}`);
      // Let the queue retry with the lease released, or record the failure on the last attempt.
      await this.db.query(
        `UPDATE github_scans SET lease_owner = NULL, lease_until = NULL, updated_at = now() ${finalAttempt ? `, status = 'failed', finished_at = now(), error = $3` : ''}
         WHERE id = $1 AND lease_owner = $2`,
        finalAttempt ? [scanId, owner, message] : [scanId, owner],
      );
      if (finalAttempt) return 'aborted';
      throw err;
    } finally {
      clearInterval(renew);
    }
  }

  private async scanInstallations(scan: ScanEntity, owner: string, signal: AbortSignal, onProgress: (percent: number) => Promise<void>): Promise<void> {
    const checkpoint: ScanCheckpoint = scan.checkpoint ?? { installationIndex: 0, cursor: null, totals: {} };
    const baseline = completeBaseline(scan.baseline);
    for (let i = checkpoint.installationIndex; i < scan.installationIds.length; i++) {
      const installationId = scan.installationIds[i];
      const installation = await this.db.getRepository(GithubInstallationEntity).findOneBy({ installationId });
      if (!installation || installation.deletedAt) continue;
      const features = await this.fetcher.features(installationId);
      let cursor = i === checkpoint.installationIndex ? checkpoint.cursor : null;
      let requests = cursor === null ? await this.fetcher.revalidate(installationId, signal) : 0;
      // Read (or taken from the cache) again when a resumed scan continues mid-installation.
      const orgLevel = await this.orgLevel.read(installationId, installation.accountLogin, installation.accountType, signal);
      requests += orgLevel.requests;
      for (;;) {
        const fetched: FetchedPage = await this.fetcher.page(installationId, installation.accountLogin, features, cursor, signal);
        const page = { ...fetched, repos: fetched.repos.map((repo) => withOrgLevelData(repo, orgLevel.data)) };
        requests += page.requests;
        cursor = page.endCursor;
        const next: ScanCheckpoint = page.hasNextPage
          ? { installationIndex: i, cursor, totals: { ...checkpoint.totals, [installationId]: page.totalCount } }
          : { installationIndex: i + 1, cursor: null, totals: { ...checkpoint.totals, [installationId]: page.totalCount } };
        await this.store(scan.id, owner, installationId, page, baseline, next, requests);
        Object.assign(checkpoint, next);
        requests = 0;
        const total = Object.values(next.totals).reduce((a, b) => a + b, 0);
        const [{ scanned }] = await this.db.query('SELECT repos_scanned AS scanned FROM github_scans WHERE id = $1', [scan.id]);
        await onProgress(total ? Math.floor((100 * Number(scanned)) / total) : 0);
        if (!page.hasNextPage) break;
      }
    }
  }

  /** One page of results and the checkpoint after it, atomically; fails with ScanAborted when the lease is gone. */
  private async store(scanId: string, owner: string, installationId: string, page: FetchedPage, baseline: ReturnType<typeof completeBaseline>, next: ScanCheckpoint, requests: number): Promise<void> {
    await this.db.transaction(async (tx: EntityManager) => {
      if (page.repos.length) {
        const values: unknown[] = [];
        const rows = page.repos.map((repo, n) => {
          values.push(scanId, repo.id, repo.fullName, installationId, repo.status, JSON.stringify(repo), JSON.stringify(findingsFor(repo, baseline)));
          const b = n * 7;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb, $${b + 7}::jsonb)`;
        });
        await tx.query(
          `INSERT INTO github_scan_results (scan_id, repository_id, repo, installation_id, status, snapshot, findings) VALUES ${rows.join(', ')}
           ON CONFLICT (scan_id, repository_id) DO UPDATE SET repo = EXCLUDED.repo, status = EXCLUDED.status, snapshot = EXCLUDED.snapshot, findings = EXCLUDED.findings`,
          values,
        );
      }
      const total = Object.values(next.totals).reduce((a, b) => a + b, 0);
      const updated = await tx.query(
        `UPDATE github_scans SET checkpoint = $3::jsonb, repos_total = $4, github_requests = github_requests + $5,
           repos_scanned = (SELECT count(*) FROM github_scan_results WHERE scan_id = $1), lease_until = now() + make_interval(secs => $6), updated_at = now()
         WHERE id = $1 AND lease_owner = $2 AND status = 'scanning' RETURNING id`,
        [scanId, owner, JSON.stringify(next), total, requests, this.config.scan.leaseSeconds],
      );
      if (!rowsOf(updated).length) throw new ScanAborted();
    });
  }

  private async claim(scanId: string, owner: string): Promise<ScanEntity | null> {
    const res = await this.db.query(
      `UPDATE github_scans SET lease_owner = $2, lease_until = now() + make_interval(secs => $3), status = 'scanning', started_at = coalesce(started_at, now()), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'scanning') AND (lease_until IS NULL OR lease_until < now()) RETURNING id`,
      [scanId, owner, this.config.scan.leaseSeconds],
    );
    if (!rowsOf(res).length) return null;
    return this.db.getRepository(ScanEntity).findOneBy({ id: scanId });
  }

  private async renew(scanId: string, owner: string): Promise<boolean> {
    const res = await this.db.query(
      `UPDATE github_scans SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND lease_owner = $2 AND status = 'scanning' RETURNING id`,
      [scanId, owner, this.config.scan.leaseSeconds],
    );
    return rowsOf(res).length > 0;
  }

  private async prune(organizationId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM github_scans WHERE organization_id = $1 AND status IN ('completed', 'failed', 'cancelled')
         AND id NOT IN (SELECT id FROM github_scans WHERE organization_id = $1 AND status IN ('completed', 'failed', 'cancelled') ORDER BY created_at DESC LIMIT ${KEEP_FINISHED_SCANS})`,
      [organizationId],
    );
  }
}

/** TypeORM's postgres driver answers UPDATE ... RETURNING with [rows, count]. */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as unknown[];
  return Array.isArray(result) ? result : [];
}
