import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { EventOutboxService } from '../events/event-outbox.service';
import { WebhookEventType } from '../events/events.enums';
import { GithubInstallationEntity } from '../github/github-installation.entity';
import { FetchedPage, GithubOrgFetcher, ScanAborted } from './github-org-fetcher';
import { REPOSITORIES_PER_PAGE } from './github-org-query';
import { GithubOrgLevelReader } from './github-org-level-reader';
import { withOrgLevelData } from './org-level-data';
import { completeBaseline } from './scan-baseline';
import { ScannedRepo, scanDrift } from './scan-drift';
import { addCost, noCost, requestsOf, ScanCost } from './scan-cost';
import { Finding, findingsFor } from './scan-findings';
import { OrgSnapshot, orgFindingsFor } from './org-settings';
import type { RepoSnapshot } from './repo-snapshot';
import { ScanCheckpoint, ScanEntity } from './scan.entity';
import { MetricsService } from '../health/metrics.service';

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
    private readonly events: EventOutboxService,
    private readonly metrics: MetricsService,
  ) {}

  /** The scan's whole run, from its first start (resumes included) to its end. */
  private observeDuration(startedAt: Date | null | undefined, status: 'completed' | 'failed'): void {
    if (startedAt) this.metrics.scanDuration.observe({ status }, Math.max(0, (Date.now() - startedAt.getTime()) / 1000));
  }

  async run(scanId: string, onProgress: (percent: number) => Promise<void>, finalAttempt: boolean): Promise<RunOutcome> {
    const owner = randomUUID();
    const scan = await this.claim(scanId, owner);
    if (!scan) return 'skipped';
    const abort = new AbortController();
    const renew = setInterval(() => void this.renew(scanId, owner).then((held) => held || abort.abort(), () => undefined), (this.config.scan.leaseSeconds * 1000) / 3);
    try {
      await this.scanInstallations(scan, owner, abort.signal, onProgress);
      const completed = await this.db.transaction(async (tx) => {
        const done = await tx.query(
          `UPDATE github_scans SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now()
           WHERE id = $1 AND lease_owner = $2 AND status = 'scanning' RETURNING id`,
          [scanId, owner],
        );
        if (!rowsOf(done).length) return false;
        await this.events.record(tx, { type: WebhookEventType.ScanCompleted, organizationId: scan.organizationId, payload: { scan: await this.summary(tx, scanId, scan.organizationId) } });
        return true;
      });
      if (!completed) return 'aborted';
      this.observeDuration(scan.startedAt, 'completed');
      await this.prune(scan.organizationId);
      return 'completed';
    } catch (err) {
      if (err instanceof ScanAborted || abort.signal.aborted) return 'aborted';
      const message = err instanceof HubError ? err.message : 'Internal error while scanning';
      if (!(err instanceof HubError)) this.logger.error(`scan ${scanId} failed: ${(err as Error).stack ?? err}`);
      // Let the queue retry with the lease released, or record the failure on the last attempt.
      await this.db.transaction(async (tx) => {
        const released = await tx.query(
          `UPDATE github_scans SET lease_owner = NULL, lease_until = NULL, updated_at = now() ${finalAttempt ? `, status = 'failed', finished_at = now(), error = $3` : ''}
           WHERE id = $1 AND lease_owner = $2 RETURNING id`,
          finalAttempt ? [scanId, owner, message] : [scanId, owner],
        );
        if (finalAttempt && rowsOf(released).length) {
          this.observeDuration(scan.startedAt, 'failed');
          const summary = { ...(await this.summary(tx, scanId, scan.organizationId)), error: message };
          await this.events.record(tx, { type: WebhookEventType.ScanFailed, organizationId: scan.organizationId, payload: { scan: summary } });
        }
      });
      if (finalAttempt) return 'aborted';
      throw err;
    } finally {
      clearInterval(renew);
    }
  }

  private async scanInstallations(scan: ScanEntity, owner: string, signal: AbortSignal, onProgress: (percent: number) => Promise<void>): Promise<void> {
    const checkpoint: ScanCheckpoint = scan.checkpoint ?? { installationIndex: 0, cursor: null, totals: {} };
    const baseline = completeBaseline(scan.baseline);
    // A resumed scan goes on adding to what it had cost before its worker died.
    const cost: ScanCost = addCost(noCost(), scan.githubCost ?? noCost());
    for (let i = checkpoint.installationIndex; i < scan.installationIds.length; i++) {
      const installationId = scan.installationIds[i];
      const installation = await this.db.getRepository(GithubInstallationEntity).findOneBy({ installationId });
      if (!installation || installation.deletedAt) continue;
      const features = await this.fetcher.features(installationId);
      let cursor = i === checkpoint.installationIndex ? checkpoint.cursor : null;
      // Read again (conditionally: unchanged lists answer 304) when a resumed scan continues mid-installation.
      const orgLevel = await this.orgLevel.read(installationId, installation.accountLogin, installation.accountType, installation.accountId, signal);
      addCost(cost, orgLevel.cost);
      // Webhooks are the one per-repository read: only with Webhooks: read and the baseline's switch, and bounded.
      const webhookBudget = { read: 0, max: features.webhooks && baseline.forbidInsecureWebhooks ? this.config.scan.webhookReposMax : 0 };
      const pageSize = { first: REPOSITORIES_PER_PAGE };
      for (;;) {
        const fetched: FetchedPage = await this.fetcher.page(installationId, installation.accountLogin, features, cursor, signal, pageSize);
        let repos = fetched.repos.map((repo) => withOrgLevelData(repo, orgLevel.data));
        const page = { ...fetched, repos, org: fetched.hasNextPage ? null : orgLevel.data.org };
        addCost(cost, page.cost);
        if (webhookBudget.max > 0) {
          const hookCost = noCost();
          repos = await this.orgLevel.webhooks(installationId, repos, webhookBudget, hookCost, signal);
          page.repos = repos;
          addCost(cost, hookCost);
        }
        cursor = page.endCursor;
        const next: ScanCheckpoint = page.hasNextPage
          ? { installationIndex: i, cursor, totals: { ...checkpoint.totals, [installationId]: page.totalCount } }
          : { installationIndex: i + 1, cursor: null, totals: { ...checkpoint.totals, [installationId]: page.totalCount } };
        await this.store(scan.id, owner, installationId, page, baseline, next, cost, scan.startedAt ?? new Date());
        Object.assign(checkpoint, next);
        const total = Object.values(next.totals).reduce((a, b) => a + b, 0);
        const [{ scanned }] = await this.db.query('SELECT repos_scanned AS scanned FROM github_scans WHERE id = $1', [scan.id]);
        await onProgress(total ? Math.floor((100 * Number(scanned)) / total) : 0);
        if (!page.hasNextPage) break;
      }
    }
  }

  /** One page of results and the checkpoint after it, atomically; fails with ScanAborted when the lease is gone. */
  private async store(scanId: string, owner: string, installationId: string, page: FetchedPage & { org: OrgSnapshot | null }, baseline: ReturnType<typeof completeBaseline>, next: ScanCheckpoint, cost: ScanCost, asOf: Date): Promise<void> {
    await this.db.transaction(async (tx: EntityManager) => {
      // The organization's own row (its settings and findings) is stored with its last page of repositories.
      const subjects: Array<{ snapshot: RepoSnapshot | OrgSnapshot; findings: Finding[] }> = page.repos.map((repo) => ({ snapshot: repo, findings: findingsFor(repo, baseline, asOf) }));
      if (page.org) subjects.push({ snapshot: page.org, findings: orgFindingsFor(page.org, baseline) });
      if (subjects.length) {
        const values: unknown[] = [];
        const rows = subjects.map(({ snapshot: repo, findings }, n) => {
          values.push(scanId, repo.id, repo.fullName, installationId, repo.status, JSON.stringify(repo), JSON.stringify(findings));
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
        `UPDATE github_scans SET checkpoint = $3::jsonb, repos_total = $4, github_requests = $5, github_cost = $7::jsonb,
           repos_scanned = (SELECT count(*) FROM github_scan_results WHERE scan_id = $1 AND repository_id > 0), lease_until = now() + make_interval(secs => $6), updated_at = now()
         WHERE id = $1 AND lease_owner = $2 AND status = 'scanning' RETURNING id`,
        [scanId, owner, JSON.stringify(next), total, requestsOf(cost), this.config.scan.leaseSeconds, JSON.stringify(cost)],
      );
      if (!rowsOf(updated).length) throw new ScanAborted();
    });
  }

  /** Counts for the scan's event: repositories, findings, and drift against the previous completed scan. */
  private async summary(tx: EntityManager, scanId: string, organizationId: string): Promise<Record<string, unknown>> {
    const [counts] = await tx.query(
      `SELECT s.status, s.repos_total::int AS repos_total, s.repos_scanned::int AS repos_scanned,
         (SELECT coalesce(sum(jsonb_array_length(r.findings)), 0)::int FROM github_scan_results r WHERE r.scan_id = s.id) AS finding_count
       FROM github_scans s WHERE s.id = $1`,
      [scanId],
    );
    const [previous] = await tx.query(
      `SELECT id FROM github_scans WHERE organization_id = $1 AND status = 'completed' AND id <> $2 ORDER BY finished_at DESC LIMIT 1`,
      [organizationId, scanId],
    );
    const load = async (id: string): Promise<ScannedRepo[]> => tx.query('SELECT snapshot, findings FROM github_scan_results WHERE scan_id = $1', [id]);
    const drift = previous && counts.status === 'completed' ? scanDrift(await load(previous.id), await load(scanId)) : null;
    const count = (kind: string) => (drift ? drift.filter((r) => r.kind === kind).length : 0);
    return {
      id: scanId,
      status: counts.status,
      repos_total: counts.repos_total,
      repos_scanned: counts.repos_scanned,
      finding_count: counts.finding_count,
      drift: { compared_to_scan_id: previous && drift ? previous.id : null, added: count('added'), removed: count('removed'), changed: count('changed') },
    };
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

  /**
   * Keeps the organization's history within count and age: the newest `historyKeep` completed scans, and as many
   * cancelled or failed ones counted apart (so they never push a completed scan out); finished scans older than
   * `historyMaxAgeDays` go too, except the last completed one, the next drift's comparison point.
   */
  private async prune(organizationId: string): Promise<void> {
    await this.db.query(
      `WITH ranked AS (
         SELECT id, finished_at, status,
                row_number() OVER (PARTITION BY (status = 'completed') ORDER BY coalesce(finished_at, created_at) DESC) AS n
         FROM github_scans WHERE organization_id = $1 AND status IN ('completed', 'failed', 'cancelled')
       )
       DELETE FROM github_scans WHERE id IN (
         SELECT id FROM ranked
         WHERE NOT (status = 'completed' AND n = 1)
           AND (n > $2 OR coalesce(finished_at, now()) < now() - make_interval(days => $3))
       )`,
      [organizationId, this.config.scan.historyKeep, this.config.scan.historyMaxAgeDays],
    );
  }
}

/** TypeORM's postgres driver answers UPDATE ... RETURNING with [rows, count]. */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as unknown[];
  return Array.isArray(result) ? result : [];
}
