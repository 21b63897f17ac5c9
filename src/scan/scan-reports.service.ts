import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { ScanDriftDto, ScanResultsDto, ScanResultsQueryDto } from './dto/scan.dto';
import { ScannedRepo, scanDrift } from './scan-drift';
import { ScanResultEntity } from './scan-result.entity';
import { ScanService } from './scan.service';
import { ScanEntity } from './scan.entity';
import { ScanStatus } from './scan.enums';
import { noCompletedScan } from './scan.errors';


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

  /** What changed between the previous completed scan and the last one (fields, and findings added or resolved). */
  async drift(principal: OrgPrincipal): Promise<ScanDriftDto> {
    const [latest, previous] = await this.scans.find({ where: { organizationId: principal.organizationId, status: ScanStatus.Completed }, order: { finishedAt: 'DESC' }, take: 2 });
    if (!latest) throw noCompletedScan();
    const load = async (scanId: string): Promise<ScannedRepo[]> =>
      (await this.results.find({ where: { scanId }, select: { snapshot: true, findings: true } })).map((r) => ({ snapshot: r.snapshot, findings: r.findings }));
    const repos = previous ? scanDrift(await load(previous.id), await load(latest.id)) : [];
    const count = (kind: string) => repos.filter((r) => r.kind === kind).length;
    return { fromScanId: previous?.id ?? null, toScanId: latest.id, added: count('added'), removed: count('removed'), changed: count('changed'), repos };
  }
}
