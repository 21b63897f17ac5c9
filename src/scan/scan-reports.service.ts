import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Not, Raw, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { HubError } from '../common/hub-error';
import { ScanDriftDto, ScanDriftQueryDto, ScanResultsDto, ScanResultsQueryDto } from './dto/scan.dto';
import { ScannedRepo, scanDrift } from './scan-drift';
import { ScanResultEntity } from './scan-result.entity';
import { ScanService } from './scan.service';
import { ScanEntity } from './scan.entity';
import { ScanStatus } from './scan.enums';

const noCompletedScan = () => new HubError(404, 'SCAN_NOT_FOUND', 'This organization has no completed scan yet');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Reads of completed scans: findings (paged, filtered) and drift between the last two. */
@Injectable()
export class ScanReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>,
    @InjectRepository(ScanResultEntity) private readonly results: Repository<ScanResultEntity>,
    private readonly scanService: ScanService,
  ) {}

  async findings(principal: OrgPrincipal, q: ScanResultsQueryDto): Promise<ScanResultsDto> {
    const scan = await this.scanService.lastCompleted(principal.organizationId);
    if (!scan) throw noCompletedScan();
    const page = q.page ?? 1;
    const perPage = q.per_page ?? 100;
    const where = ['r.scan_id = $1'];
    const params: unknown[] = [scan.id];
    if (q.repo) where.push(`(r.repo = $${params.push(q.repo)} OR split_part(r.repo, '/', 2) = $${params.length})`);
    if (q.check) where.push(`f->>'check' = $${params.push(q.check)}`);
    if (q.severity) where.push(`f->>'severity' = $${params.push(q.severity)}`);
    const from = `FROM github_scan_results r CROSS JOIN LATERAL jsonb_array_elements(r.findings) f WHERE ${where.join(' AND ')}`;
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT r.repo, f->>'check' AS check, f->>'severity' AS severity, f->>'message' AS message, r.status AS "repoStatus" ${from}
         ORDER BY r.repo, f->>'check' LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
        params,
      ),
      this.db.query(`SELECT count(*)::int AS total ${from}`, params),
    ]);
    return { scanId: scan.id, completedAt: scan.finishedAt!.toISOString(), results: rows, total, page, per_page: perPage };
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

  private async completedBefore(organisationId: string, latest: ScanEntity): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { organisationId, status: ScanStatus.Completed, id: Not(latest.id) }, order: { finishedAt: 'DESC' } });
  }

  /** The completed scan `since` names (id), or the last one completed at or before the date it names. */
  private async since(organisationId: string, since: string): Promise<ScanEntity> {
    if (UUID.test(since)) {
      const scan = await this.scans.findOneBy({ id: since, organisationId, status: ScanStatus.Completed });
      if (!scan) throw new HubError(404, 'SCAN_NOT_FOUND', `No completed scan '${since}' in this organization's history`);
      return scan;
    }
    const at = ISO_DATE.test(since) ? new Date(since) : null;
    if (!at || Number.isNaN(at.getTime())) throw new HubError(400, 'INVALID_SINCE', "'since' must be a scan id or an ISO 8601 date", undefined, 'since');
    // Compared at the millisecond precision of the dates this API returns, so a scan's own finishedAt names it.
    const finishedBy = Raw((column) => `date_trunc('milliseconds', ${column}) <= :at`, { at });
    const scan = await this.scans.findOne({ where: { organisationId, status: ScanStatus.Completed, finishedAt: finishedBy }, order: { finishedAt: 'DESC' } });
    if (!scan) throw new HubError(404, 'SCAN_NOT_FOUND', `No scan completed at or before ${at.toISOString()} is in this organization's history`);
    return scan;
  }
}
