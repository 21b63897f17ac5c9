import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { nextRun, parseCron } from './cron-schedule';
import { ScanScheduleDto, UpdateScanScheduleDto } from './dto/scan-schedule.dto';
import { ScanScheduleEntity } from './scan-schedule.entity';
import { ScanService } from './scan.service';
import { scheduleInvalid } from './scan.errors';

/** Scheduled scans per organization: workers start the due ones (one per schedule and due time, on any replica). */
@Injectable()
export class ScanSchedulesService {
  private readonly logger = new Logger('ScanSchedules');

  constructor(
    @InjectRepository(ScanScheduleEntity) private readonly schedules: Repository<ScanScheduleEntity>,
    private readonly scans: ScanService,
  ) {}

  async get(principal: OrgPrincipal): Promise<ScanScheduleDto> {
    return toDto(await this.schedules.findOneBy({ organizationId: principal.organizationId }));
  }

  async update(principal: OrgPrincipal, dto: UpdateScanScheduleDto): Promise<ScanScheduleDto> {
    const cron = parseCron(dto.cron);
    const next = cron && nextRun(cron, new Date());
    if (!next) throw scheduleInvalid();
    await this.schedules.upsert({ organizationId: principal.organizationId, cron: dto.cron.trim().replace(/\s+/g, ' '), nextRunAt: next, updatedBy: principal.userId }, ['organizationId']);
    return this.get(principal);
  }

  async remove(principal: OrgPrincipal): Promise<void> {
    await this.schedules.delete({ organizationId: principal.organizationId });
  }

  /**
   * Starts the scans that are due. Each due schedule is claimed by moving its next run forward only while it is still
   * due, so of several workers exactly one starts it. A scan already running counts as this run.
   */
  async runDue(now = new Date()): Promise<number> {
    const due = await this.schedules.find({ where: { nextRunAt: LessThanOrEqual(now) }, take: 100 });
    let started = 0;
    for (const schedule of due) {
      const cron = parseCron(schedule.cron);
      const next = cron ? nextRun(cron, now) : null;
      if (!next) continue;
      const claimed = await this.schedules.update({ organizationId: schedule.organizationId, nextRunAt: LessThanOrEqual(now) }, { nextRunAt: next, lastRunAt: now });
      if (!claimed.affected) continue;
      try {
        const scan = await this.scans.startFor(schedule.organizationId, null);
        await this.schedules.update({ organizationId: schedule.organizationId }, { lastScanId: scan.scanId });
        started++;
      } catch (err) {
        this.logger.warn(`scheduled scan of organization ${schedule.organizationId} not started: ${(err as Error).message}`);
      }
    }
    return started;
  }
}

function toDto(row: ScanScheduleEntity | null): ScanScheduleDto {
  return { cron: row?.cron ?? null, nextRunAt: row?.nextRunAt.toISOString() ?? null, lastRunAt: row?.lastRunAt?.toISOString() ?? null, lastScanId: row?.lastScanId ?? null };
}
