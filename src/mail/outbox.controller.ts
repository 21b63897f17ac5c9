import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, Permission } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { isUuid, UuidParam } from '../common/params';
import { DEFAULT_PAGE_LIMIT } from '../common/dto/pagination.dto';
import { PageAt, type PageLocation, toPage } from '../common/pagination';
import { OutboxEmailDto, OutboxPageDto, OutboxQueryDto } from './dto/outbox.dto';
import { outboxEmailNotFound, outboxEmailSent } from './mail.errors';
import { MailService } from './mail.service';
import { OutboxEmailEntity } from './outbox-email.entity';

/** The organization's mail outbox for its owners and admins: status and attempts, retry, discard. Bodies stay sealed. */
@ApiTags('outbox')
@Controller('organizations')
export class OutboxController {
  constructor(
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  @Get(':org_id/outbox')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', permission: Permission.ManageOrganization })
  @ApiOperation({ summary: "The organization's outbox", description: 'Mail the hub sent or still holds for this organization, newest first, with status and attempts; never the bodies.' })
  @ApiOkResponse({ type: OutboxPageDto, description: 'One page of outbox emails' })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: ErrorBodyDto })
  async listOutbox(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: OutboxQueryDto, @PageAt() at: PageLocation): Promise<OutboxPageDto> {
    const { count, rows } = await this.mail.listForOrganization(principal.organizationId, { status: q.status, limit: q.limit ?? DEFAULT_PAGE_LIMIT, offset: q.offset ?? 0 });
    return toPage(rows.map(toDto), count, q, at);
  }

  @Post(':org_id/outbox/:email_id/retry')
  @HttpCode(200)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', permission: Permission.ManageOrganization })
  @ApiOperation({ summary: 'Send an outbox email again now', description: 'Queues an unsent or discarded email for delivery at once (relevance is checked again at send time).' })
  @ApiOkResponse({ type: OutboxEmailDto, description: 'The email, queued again' })
  @ApiNotFoundResponse({ description: 'No such email in this organization', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The email was sent already', type: ErrorBodyDto })
  async retryOutboxEmail(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Param('email_id') id: string): Promise<OutboxEmailDto> {
    const row = await this.find(principal, id);
    if (!(await this.mail.retry(row))) throw outboxEmailSent();
    await this.audit.record(principal, { action: 'outbox_email.retry', target: `outbox_email:${id}` });
    return toDto((await this.mail.findForOrganization(principal.organizationId, id)) as OutboxEmailEntity);
  }

  @Post(':org_id/outbox/:email_id/discard')
  @HttpCode(200)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', permission: Permission.ManageOrganization })
  @ApiOperation({ summary: 'Never send an outbox email', description: 'Marks an unsent email discarded: it is kept for the record and never delivered.' })
  @ApiOkResponse({ type: OutboxEmailDto, description: 'The email, discarded' })
  @ApiNotFoundResponse({ description: 'No such email in this organization', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The email was sent already', type: ErrorBodyDto })
  async discardOutboxEmail(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Param('email_id') id: string): Promise<OutboxEmailDto> {
    const row = await this.find(principal, id);
    if (row.status !== 'discarded' && !(await this.mail.discard(row, `discarded by ${principal.email}`))) throw outboxEmailSent();
    await this.audit.record(principal, { action: 'outbox_email.discard', target: `outbox_email:${id}` });
    return toDto((await this.mail.findForOrganization(principal.organizationId, id)) as OutboxEmailEntity);
  }

  private async find(principal: OrgPrincipal, id: string): Promise<OutboxEmailEntity> {
    const row = isUuid(id) ? await this.mail.findForOrganization(principal.organizationId, id) : null;
    if (!row) throw outboxEmailNotFound();
    return row;
  }
}

function toDto(row: OutboxEmailEntity): OutboxEmailDto {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    last_error: row.lastError,
    about: row.about,
    sent_at: row.sentAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
