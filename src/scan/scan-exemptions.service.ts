import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { CreateScanExemptionDto, ScanExemptionDto, ScanExemptionListDto } from './dto/scan-exemption.dto';
import { ScanExemptionEntity } from './scan-exemption.entity';
import { exemptionExpiryInvalid, exemptionNotFound } from './scan.errors';

const MAX_DAYS = 366;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Acknowledgements of findings and exemptions of repositories, each with a reason and an expiry, audited. */
@Injectable()
export class ScanExemptionsService {
  constructor(
    @InjectRepository(ScanExemptionEntity) private readonly exemptions: Repository<ScanExemptionEntity>,
    private readonly audit: AuditService,
  ) {}

  async list(principal: OrgPrincipal): Promise<ScanExemptionListDto> {
    const rows = await this.exemptions.find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'DESC' } });
    return { exemptions: rows.map(toDto) };
  }

  async create(principal: OrgPrincipal, dto: CreateScanExemptionDto, requestId: string | null): Promise<ScanExemptionDto> {
    const expiresAt = new Date(dto.expiresAt);
    if (!(expiresAt.getTime() > Date.now()) || expiresAt.getTime() > Date.now() + MAX_DAYS * 86_400_000) {
      throw exemptionExpiryInvalid(MAX_DAYS);
    }
    const row = await this.exemptions.save(
      this.exemptions.create({ organizationId: principal.organizationId, repo: dto.repo, check: dto.check ?? null, reason: dto.reason, expiresAt, createdBy: principal.userId }),
    );
    await this.audit.record(principal, { action: `${auditKind(row)}.create`, target: `${auditKind(row)}:${row.id}`, requestId });
    return toDto(row);
  }

  async remove(principal: OrgPrincipal, id: string, requestId: string | null): Promise<void> {
    const row = UUID.test(id) ? await this.exemptions.findOneBy({ id, organizationId: principal.organizationId }) : null;
    if (!row) throw exemptionNotFound();
    await this.exemptions.delete({ id: row.id });
    await this.audit.record(principal, { action: `${auditKind(row)}.delete`, target: `${auditKind(row)}:${row.id}`, requestId });
  }
}

const auditKind = (row: ScanExemptionEntity) => (row.check ? 'scan_acknowledgement' : 'scan_exemption');

function toDto(row: ScanExemptionEntity): ScanExemptionDto {
  return {
    id: row.id,
    kind: row.check ? 'acknowledgement' : 'exemption',
    repo: row.repo,
    check: row.check,
    reason: row.reason,
    expiresAt: row.expiresAt.toISOString(),
    active: row.expiresAt.getTime() > Date.now(),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
