import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditEntryDto, AuditLogPageDto, AuditLogQueryDto } from './dto/audit-log.dto';
import { toPage, type PageLocation } from '../common/pagination';
import { DEFAULT_PAGE_LIMIT } from '../common/dto/pagination.dto';

export interface AuditEvent {
  action: string;
  target: string;
  requestId: string | null;
  /** Defaults to the principal's key. */
  keyId?: string | null;
}

/** The organization's audit log: other modules record, owners and admins read. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  async record(principal: OrgPrincipal, event: AuditEvent): Promise<void> {
    await this.entries.insert({
      organizationId: principal.organizationId,
      actorUserId: principal.userId,
      keyId: event.keyId === undefined ? principal.keyId : event.keyId,
      action: event.action,
      target: event.target,
      requestId: event.requestId,
    });
  }

  async list(principal: OrgPrincipal, q: AuditLogQueryDto, at: PageLocation): Promise<AuditLogPageDto> {
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const offset = q.offset ?? 0;
    const [rows, count] = await this.entries.findAndCount({
      where: { organizationId: principal.organizationId, ...(q.action ? { action: q.action } : {}), ...(q.target ? { target: q.target } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return toPage(rows.map(toDto), count, q, at);
  }
}

function toDto(e: AuditEntryEntity): AuditEntryDto {
  return { id: e.id, actor: e.actorUserId, key_id: e.keyId, action: e.action, target: e.target, request_id: e.requestId, created_at: e.createdAt.toISOString() };
}
