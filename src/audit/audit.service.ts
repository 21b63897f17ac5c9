import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, LessThan, MoreThanOrEqual, And, Repository } from 'typeorm';
import type { OrgPrincipal, Principal } from '../auth/principal';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditEntryDto, AuditLogPageDto, AuditLogQueryDto } from './dto/audit-log.dto';
import { toPage, type PageLocation } from '../common/pagination';
import { DEFAULT_PAGE_LIMIT } from '../common/dto/pagination.dto';

export interface AuditEvent {
  action: string;
  target: string;
  /** Defaults to the principal's request (set by the guard). */
  requestId?: string | null;
  /** Defaults to the principal's key. */
  keyId?: string | null;
  /**
   * Non-secret fields: `{field: {old, new}}` for a change, `{field: value}` for what was created. Callers pass field
   * names and values of their own choosing; `changesOf` builds the former from two plain objects.
   */
  changes?: Record<string, unknown> | null;
}

/** `{field: {old, new}}` for every listed field whose value differs (values compared as JSON). Never pass secret fields. */
export function changesOf(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  for (const f of fields) {
    if (after[f] === undefined) continue;
    if (JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null)) out[f] = { old: before[f] ?? null, new: after[f] ?? null };
  }
  return out;
}

/** Who acted: a request's principal, or a user acting without one (accepting an invite). */
export type AuditActor = Pick<Principal, 'userId' | 'keyId' | 'requestId' | 'ip'>;

/** The organization's audit log: other modules record, owners and admins read. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  async record(principal: OrgPrincipal, event: AuditEvent): Promise<void> {
    await this.recordIn(principal.organizationId, principal, event);
  }

  /** For actions whose organization is not the route's (a key created for one, an organization just created). */
  async recordIn(organizationId: string, principal: AuditActor, event: AuditEvent): Promise<void> {
    await this.entries.insert({
      organizationId,
      actorUserId: principal.userId,
      keyId: event.keyId === undefined ? principal.keyId : event.keyId,
      action: event.action,
      target: event.target,
      requestId: event.requestId === undefined ? (principal.requestId ?? null) : event.requestId,
      ip: principal.ip ?? null,
      changes: (event.changes && Object.keys(event.changes).length > 0 ? event.changes : null) as never,
    });
  }

  async list(principal: OrgPrincipal, q: AuditLogQueryDto, at: PageLocation): Promise<AuditLogPageDto> {
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const offset = q.offset ?? 0;
    const where: FindOptionsWhere<AuditEntryEntity> = { organizationId: principal.organizationId };
    if (q.action) where.action = q.action;
    if (q.target) where.target = q.target;
    if (q.actor) where.actorUserId = q.actor;
    if (q.since && q.until) where.createdAt = And(MoreThanOrEqual(new Date(q.since)), LessThan(new Date(q.until)));
    else if (q.since) where.createdAt = MoreThanOrEqual(new Date(q.since));
    else if (q.until) where.createdAt = LessThan(new Date(q.until));
    const [rows, count] = await this.entries.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
    return toPage(rows.map(toDto), count, q, at);
  }
}

function toDto(e: AuditEntryEntity): AuditEntryDto {
  return {
    id: e.id,
    actor: e.actorUserId,
    key_id: e.keyId,
    action: e.action,
    target: e.target,
    request_id: e.requestId,
    ip: e.ip,
    changes: e.changes,
    created_at: e.createdAt.toISOString(),
  };
}
