import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { ScanBaselineDto, UpdateScanBaselineDto } from './dto/scan-baseline.dto';
import { completeBaseline, ScanBaseline } from './scan-baseline';
import { ScanBaselineEntity } from './scan-baseline.entity';

/** The organization's baseline policy: the default until edited; scans copy the one in force when they start. */
@Injectable()
export class ScanBaselinesService {
  constructor(@InjectRepository(ScanBaselineEntity) private readonly baselines: Repository<ScanBaselineEntity>) {}

  async effective(organizationId: string): Promise<ScanBaseline> {
    return completeBaseline((await this.baselines.findOneBy({ organizationId }))?.baseline);
  }

  async get(principal: OrgPrincipal): Promise<ScanBaselineDto> {
    return toDto(await this.baselines.findOneBy({ organizationId: principal.organizationId }));
  }

  async update(principal: OrgPrincipal, dto: UpdateScanBaselineDto): Promise<ScanBaselineDto> {
    const current = await this.effective(principal.organizationId);
    const baseline = completeBaseline({ ...current, ...stripUndefined(dto) });
    await this.baselines.upsert({ organizationId: principal.organizationId, baseline, updatedBy: principal.userId }, ['organizationId']);
    return toDto(await this.baselines.findOneByOrFail({ organizationId: principal.organizationId }));
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toDto(row: ScanBaselineEntity | null): ScanBaselineDto {
  return { ...completeBaseline(row?.baseline), isDefault: !row, updatedAt: row?.updatedAt.toISOString() ?? null };
}
