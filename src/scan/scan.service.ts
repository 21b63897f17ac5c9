import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { GithubInstallationEntity } from '../github/github-installation.entity';
import { GithubInstallationsService } from '../github/github-installations.service';
import { JobQueue } from '../queue/job-queue';
import { ScanCacheInvalidatedDto, ScanPermissionsDto, ScanProgressDto, ScanStatusDto } from './dto/scan.dto';
import { ScanBaselinesService } from './scan-baselines.service';
import { ScanCache } from './scan-cache';
import { SCAN_JOB, SCAN_JOB_ATTEMPTS, ScanJobData } from './scan-job';
import { ScanEntity } from './scan.entity';
import { RUNNING_STATUSES, ScanStatus } from './scan.enums';
import { githubNotConnected, scanConflict, scanNotRunning } from './scan.errors';

/** What the scan reads, and the lowest level it needs. */
export const REQUIRED_PERMISSIONS: Record<string, string> = { metadata: 'read', contents: 'read', administration: 'read' };
/** Read when granted; without them the scan records the data as not visible (null, with the reason). */
export const OPTIONAL_PERMISSIONS: Record<string, string> = { vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read', organization_administration: 'read', repository_hooks: 'read' };
const LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** Starting, following and stopping an organization's scans. */
@Injectable()
export class ScanService {
  constructor(
    @InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>,
    private readonly installations: GithubInstallationsService,
    private readonly baselines: ScanBaselinesService,
    private readonly cache: ScanCache,
    private readonly queue: JobQueue,
  ) {}

  /** Starts a scan of every connected installation; while one is queued or running, returns that one instead. */
  start(principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.startFor(principal.organizationId, principal.userId);
  }

  /** Starts a scan of the organization for a user, or for its schedule (`userId` null). */
  async startFor(organizationId: string, userId: string | null): Promise<ScanProgressDto> {
    const running = await this.running(organizationId);
    if (running) return toProgress(running);
    const installations = await this.connected(organizationId);
    if (!installations.length) throw githubNotConnected();
    // ON CONFLICT DO NOTHING: when another request (on any replica) started one first, the partial unique index
    // refuses ours and we answer with theirs.
    const inserted = await this.scans
      .createQueryBuilder()
      .insert()
      .values({
        organizationId,
        status: ScanStatus.Queued,
        installationIds: installations.map((i) => i.installationId),
        baseline: await this.baselines.effective(organizationId),
        checkpoint: null,
        createdBy: userId,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
    const scan = id ? await this.scans.findOneByOrFail({ id }) : await this.running(organizationId);
    if (!scan) throw scanConflict();
    if (!id) return toProgress(scan);
    try {
      await this.queue.add<ScanJobData>('scan', SCAN_JOB, { scanId: scan.id }, { jobId: scan.id, attempts: SCAN_JOB_ATTEMPTS, backoffMs: 1000 });
    } catch (err) {
      // The caller is told to retry (503): the scan must not start later behind its back, nor block that retry.
      await this.scans.delete({ id: scan.id, status: ScanStatus.Queued });
      throw err;
    }
    return toProgress(scan);
  }

  async progress(principal: OrgPrincipal): Promise<ScanProgressDto> {
    const latest = await this.scans.findOne({ where: { organizationId: principal.organizationId }, order: { createdAt: 'DESC' } });
    return latest ? toProgress(latest) : { scanId: null, status: ScanStatus.Idle, progress: 0, reposScanned: 0, reposTotal: 0, startedAt: null };
  }

  async status(principal: OrgPrincipal): Promise<ScanStatusDto> {
    const [latest, completed] = await Promise.all([
      this.scans.findOne({ where: { organizationId: principal.organizationId }, order: { createdAt: 'DESC' } }),
      this.lastCompleted(principal.organizationId),
    ]);
    return { lastCompletedAt: completed?.finishedAt?.toISOString() ?? null, lastScanId: completed?.id ?? null, status: latest?.status ?? ScanStatus.Idle };
  }

  /** Cancels the running scan; its worker stops at its next page. */
  async cancel(principal: OrgPrincipal): Promise<ScanProgressDto> {
    const running = await this.running(principal.organizationId);
    if (!running) throw scanNotRunning();
    await this.scans.update({ id: running.id, status: In([...RUNNING_STATUSES]) }, { status: ScanStatus.Cancelled, finishedAt: new Date(), leaseOwner: null, leaseUntil: null });
    return toProgress(await this.scans.findOneByOrFail({ id: running.id }));
  }

  async invalidateCache(principal: OrgPrincipal): Promise<ScanCacheInvalidatedDto> {
    const installations = await this.connected(principal.organizationId);
    for (const i of installations) await this.cache.invalidate(i.installationId);
    return { invalidated: true, installations: installations.length };
  }

  /** Compares each installation's actual permissions (asked from GitHub) with what the scan needs. */
  async permissions(principal: OrgPrincipal): Promise<ScanPermissionsDto> {
    const rows = await this.connected(principal.organizationId);
    const perInstallation = await Promise.all(
      rows.map(async (row) => {
        const info = await this.installations.fetch(row.installationId);
        const granted = (info as { permissions?: Record<string, string> }).permissions ?? {};
        const missing = Object.entries(REQUIRED_PERMISSIONS)
          .filter(([name, level]) => (LEVEL[granted[name]] ?? 0) < LEVEL[level])
          .map(([name]) => name);
        return { installationId: row.installationId, accountLogin: row.accountLogin, sufficient: missing.length === 0, granted, missing };
      }),
    );
    const granted: Record<string, string> = {};
    if (perInstallation.length) {
      for (const name of Object.keys(perInstallation[0].granted)) {
        const levels = perInstallation.map((p) => p.granted[name]);
        if (levels.every((l) => LEVEL[l])) granted[name] = levels.reduce((a, b) => (LEVEL[a] <= LEVEL[b] ? a : b));
      }
    }
    const missing = perInstallation.length ? [...new Set(perInstallation.flatMap((p) => p.missing))] : Object.keys(REQUIRED_PERMISSIONS);
    return { sufficient: perInstallation.length > 0 && missing.length === 0, required: REQUIRED_PERMISSIONS, granted, missing, optional: OPTIONAL_PERMISSIONS, installations: perInstallation };
  }

  lastCompleted(organizationId: string): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { organizationId, status: ScanStatus.Completed }, order: { finishedAt: 'DESC' } });
  }

  private running(organizationId: string): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { organizationId, status: In([...RUNNING_STATUSES]) } });
  }

  private async connected(organizationId: string): Promise<GithubInstallationEntity[]> {
    const [rows] = await this.installations.listInOrganization(organizationId, 1, 100);
    return rows.filter((r) => !r.suspendedAt);
  }
}

function toProgress(scan: ScanEntity): ScanProgressDto {
  const done = scan.status === ScanStatus.Completed;
  return {
    scanId: scan.id,
    status: scan.status,
    progress: done ? 100 : scan.reposTotal ? Math.min(99, Math.floor((100 * scan.reposScanned) / scan.reposTotal)) : 0,
    reposScanned: scan.reposScanned,
    reposTotal: scan.reposTotal,
    startedAt: (scan.startedAt ?? scan.createdAt).toISOString(),
    ...(scan.finishedAt ? { finishedAt: scan.finishedAt.toISOString() } : {}),
    ...(scan.error ? { error: scan.error } : {}),
    ...(scan.githubCost ? { githubCost: scan.githubCost } : {}),
  };
}
