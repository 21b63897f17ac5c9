import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Not, Raw, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { ScanDriftDto, ScanDriftQueryDto, ScanFindingDto, ScanInventoryDto, ScanInventoryQueryDto, ScanResultsDto, ScanResultsFormat, ScanResultsQueryDto, SuppressedFilter } from './dto/scan.dto';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { ExportedFinding, toCsv, toSarif } from './scan-exports';
import { ScannedRepo, scanDrift } from './scan-drift';
import { ScanResultEntity } from './scan-result.entity';
import { ScanService } from './scan.service';
import { ScanEntity } from './scan.entity';
import { FindingSeverity, RepoResultStatus, ScanStatus } from './scan.enums';

/** The version of the checks, reported as the SARIF tool's version (raised when checks change). */
const SCANNER_VERSION = '2.1.0';
const FINDING_COLUMNS = `SELECT r.repo, f->>'check' AS check, f->>'severity' AS severity, f->>'message' AS message, r.status AS "repoStatus",
  x.check AS "suppressedCheck", x.reason AS "suppressionReason", x.expires_at AS "suppressionExpiresAt", x.id IS NOT NULL AS suppressed`;

interface FindingRow {
  repo: string;
  check: string;
  severity: FindingSeverity;
  message: string;
  repoStatus: RepoResultStatus;
  suppressed: boolean;
  suppressedCheck: string | null;
  suppressionReason: string | null;
  suppressionExpiresAt: Date | null;
}

function toFinding(r: FindingRow): ExportedFinding & ScanFindingDto {
  return {
    repo: r.repo,
    check: r.check,
    severity: r.severity,
    message: r.message,
    repoStatus: r.repoStatus,
    ...(r.suppressed ? { suppression: { kind: r.suppressedCheck ? 'acknowledgement' : 'exemption', reason: r.suppressionReason ?? '', expiresAt: r.suppressionExpiresAt?.toISOString() ?? null } } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
import { noCompletedScan, scanNotFound, sinceInvalid } from './scan.errors';

/** Reads of completed scans: findings (paged, filtered) and drift between the last two. */
@Injectable()
export class ScanReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>,
    @InjectRepository(ScanResultEntity) private readonly results: Repository<ScanResultEntity>,
    private readonly scanService: ScanService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async findings(principal: OrgPrincipal, q: ScanResultsQueryDto): Promise<ScanResultsDto> {
    const scan = await this.lastCompleted(principal);
    const page = q.page ?? 1;
    const perPage = q.per_page ?? 100;
    const { from, params } = this.findingsQuery(scan.id, principal.organizationId, q);
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(`${FINDING_COLUMNS} ${from} ORDER BY r.repo, f->>'check' LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`, params),
      this.db.query(`SELECT count(*)::int AS total ${from}`, params),
    ]);
    return { scanId: scan.id, completedAt: scan.finishedAt!.toISOString(), results: rows.map(toFinding), total, page, per_page: perPage };
  }

  /**
   * The findings in the format asked for (`format`, else the Accept header): a page of JSON, or every matching finding
   * as SARIF 2.1.0 or CSV. `contentType` sets the response's media type.
   */
  async render(principal: OrgPrincipal, q: ScanResultsQueryDto, accept: string | undefined, contentType: (type: string) => void): Promise<ScanResultsDto | string | Record<string, unknown>> {
    const format = q.format ?? (/application\/sarif\+json/i.test(accept ?? '') ? ScanResultsFormat.Sarif : /text\/csv/i.test(accept ?? '') ? ScanResultsFormat.Csv : ScanResultsFormat.Json);
    if (format === ScanResultsFormat.Json) return this.findings(principal, q);
    const { scan, findings } = await this.allFindings(principal, q);
    if (format === ScanResultsFormat.Csv) {
      contentType('text/csv; charset=utf-8');
      return toCsv(findings);
    }
    contentType('application/sarif+json');
    return toSarif(findings, { scanId: scan.id, completedAt: scan.finishedAt!.toISOString(), webUrl: this.config.github.webUrl, toolVersion: SCANNER_VERSION });
  }

  /** Every finding of the last completed scan that matches the filters (for SARIF and CSV: not paged). */
  async allFindings(principal: OrgPrincipal, q: ScanResultsQueryDto): Promise<{ scan: ScanEntity; findings: ExportedFinding[] }> {
    const scan = await this.lastCompleted(principal);
    const { from, params } = this.findingsQuery(scan.id, principal.organizationId, q);
    const rows = await this.db.query(`${FINDING_COLUMNS} ${from} ORDER BY r.repo, f->>'check'`, params);
    return { scan, findings: rows.map(toFinding) };
  }

  /** Every repository of the last completed scan with its snapshot and how many findings it has (open and accepted). */
  async inventory(principal: OrgPrincipal, q: ScanInventoryQueryDto): Promise<ScanInventoryDto> {
    const scan = await this.lastCompleted(principal);
    const page = q.page ?? 1;
    const perPage = q.per_page ?? 100;
    const [rows, total] = await this.results.findAndCount({ where: { scanId: scan.id }, order: { repo: 'ASC' }, take: perPage, skip: (page - 1) * perPage });
    return {
      scanId: scan.id,
      completedAt: scan.finishedAt!.toISOString(),
      repos: rows.map((r) => ({ repo: r.repo, repositoryId: r.repositoryId, installationId: r.installationId, status: r.status, findings: r.findings.length, snapshot: r.snapshot as unknown as Record<string, unknown> })),
      total,
      page,
      per_page: perPage,
    };
  }

  private async lastCompleted(principal: OrgPrincipal): Promise<ScanEntity> {
    const scan = await this.scanService.lastCompleted(principal.organizationId);
    if (!scan) throw noCompletedScan();
    return scan;
  }

  /** The findings of a scan with the acknowledgement or exemption (active) that accepts each, filtered. */
  private findingsQuery(scanId: string, organizationId: string, q: ScanResultsQueryDto): { from: string; params: unknown[] } {
    const where = ['r.scan_id = $1'];
    const params: unknown[] = [scanId, organizationId];
    if (q.repo) where.push(`(r.repo = $${params.push(q.repo)} OR split_part(r.repo, '/', 2) = $${params.length})`);
    if (q.check) where.push(`f->>'check' = $${params.push(q.check)}`);
    if (q.severity) where.push(`f->>'severity' = $${params.push(q.severity)}`);
    if (q.suppressed === SuppressedFilter.Exclude) where.push('x.id IS NULL');
    if (q.suppressed === SuppressedFilter.Only) where.push('x.id IS NOT NULL');
    // An acknowledgement of the check wins over an exemption of the whole repository (it is the more specific).
    const from = `FROM github_scan_results r CROSS JOIN LATERAL jsonb_array_elements(r.findings) f
      LEFT JOIN LATERAL (
        SELECT e.id, e.check, e.reason, e.expires_at FROM github_scan_exemptions e
        WHERE e.organization_id = $2 AND e.repo = r.repo AND (e.check IS NULL OR e.check = f->>'check') AND e.expires_at > now()
        ORDER BY e.check IS NULL, e.expires_at DESC LIMIT 1
      ) x ON true
      WHERE ${where.join(' AND ')}`;
    return { from, params };
  }

  /**
   * What changed between a completed scan and the last one (fields, and findings added or resolved): by default the
   * completed scan before the last; `since` names a completed scan by id, or a date (the last scan completed by then).
   */
  async drift(principal: OrgPrincipal, q: ScanDriftQueryDto = {}): Promise<ScanDriftDto> {
    const latest = await this.scanService.lastCompleted(principal.organizationId);
    if (!latest) throw noCompletedScan();
    const previous = q.since === undefined ? await this.completedBefore(principal.organizationId, latest) : await this.since(principal.organizationId, q.since);
    const load = async (scanId: string): Promise<ScannedRepo[]> =>
      (await this.results.find({ where: { scanId }, select: { snapshot: true, findings: true } })).map((r) => ({ snapshot: r.snapshot, findings: r.findings }));
    const repos = previous && previous.id !== latest.id ? scanDrift(await load(previous.id), await load(latest.id)) : [];
    const count = (kind: string) => repos.filter((r) => r.kind === kind).length;
    return { fromScanId: previous?.id ?? null, toScanId: latest.id, added: count('added'), removed: count('removed'), renamed: count('renamed'), changed: count('changed'), repos };
  }

  private async completedBefore(organizationId: string, latest: ScanEntity): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { organizationId, status: ScanStatus.Completed, id: Not(latest.id) }, order: { finishedAt: 'DESC' } });
  }

  /** The completed scan `since` names (id), or the last one completed at or before the date it names. */
  private async since(organizationId: string, since: string): Promise<ScanEntity> {
    if (UUID.test(since)) {
      const scan = await this.scans.findOneBy({ id: since, organizationId, status: ScanStatus.Completed });
      if (!scan) throw scanNotFound(`No completed scan '${since}' in this organization's history`);
      return scan;
    }
    const at = ISO_DATE.test(since) ? new Date(since) : null;
    if (!at || Number.isNaN(at.getTime())) throw sinceInvalid();
    // Compared at the millisecond precision of the dates this API returns, so a scan's own finishedAt names it.
    const finishedBy = Raw((column) => `date_trunc('milliseconds', ${column}) <= :at`, { at });
    const scan = await this.scans.findOne({ where: { organizationId, status: ScanStatus.Completed, finishedAt: finishedBy }, order: { finishedAt: 'DESC' } });
    if (!scan) throw scanNotFound(`No scan completed at or before ${at.toISOString()} is in this organization's history`);
    return scan;
  }
}
