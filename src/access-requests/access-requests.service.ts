import { accessRequestNotFound, accessRequestResolved } from './access-requests.errors';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { OrgPrincipal } from '../auth/principal';
import { OrgRole } from '../auth/roles';
import { HUB_CONFIG } from '../config/config.module';
import { EventOutboxService } from '../events/event-outbox.service';
import { WebhookEventType } from '../events/events.enums';
import type { HubConfig } from '../config/hub-config';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationProvider } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { AccessRequestEntity } from './access-request.entity';
import { AccessRequestResolution, AccessRequestStatus } from './access-request.enums';
import { AccessRequestDto, AccessRequestListDto, ListAccessRequestsQueryDto, ResolveAccessRequestDto } from './dto/access-request.dto';
import { RequestAccessDto, SuccessDto } from './dto/request-access.dto';
import { isUuid } from '../common/params';
import { ProviderRegistry } from '../integrations/providers/provider-registry.service';

/** The same (project, kind, requester) emails the admins at most once per this window. */
export const NOTIFY_WINDOW_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class AccessRequestsService implements OnModuleInit {
  private readonly logger = new Logger(AccessRequestsService.name);

  constructor(
    @InjectRepository(AccessRequestEntity) private readonly requests: Repository<AccessRequestEntity>,
    private readonly organizations: OrganizationsService,
    private readonly integrations: IntegrationsService,
    private readonly providers: ProviderRegistry,
    private readonly mail: MailService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly events: EventOutboxService,
  ) {}

  onModuleInit(): void {
    this.integrations.onConnected((integration, actor) => this.approveOnConnect(integration, actor));
    // Admins are not asked, late, about a request someone already resolved.
    this.mail.registerRelevance('access_request', async (id) => {
      const row = await this.requests.findOne({ where: { id } });
      if (!row) return 'access request deleted';
      return row.status === AccessRequestStatus.Pending ? null : `access request already ${row.status}`;
    });
  }

  /** Records the request (one open request per project, kind and requester) and emails the admins. */
  async request(principal: OrgPrincipal, dto: RequestAccessDto): Promise<SuccessDto> {
    const projectId = principal.projectId as string;
    const open = await this.requests.findOne({
      where: { projectId, kind: dto.kind, requesterId: principal.userId, status: AccessRequestStatus.Pending },
    });
    const row = open ?? this.requests.create({
      organizationId: principal.organizationId,
      projectId,
      kind: dto.kind,
      requesterId: principal.userId,
      status: AccessRequestStatus.Pending,
      note: null,
      resolvedBy: null,
      resolvedAt: null,
    });
    Object.assign(row, { reason: dto.reason, requesterEmail: principal.email, requesterName: principal.name });
    await this.requests.manager.transaction(async (tx) => {
      await tx.save(row);
      // A repeated request updates the open one: subscribers hear of it once.
      if (!open) await this.recordEvent(tx, WebhookEventType.AccessRequestCreated, row);
    });
    await this.notifyAdmins(principal, dto, row.id);
    return { success: true };
  }

  async list(principal: OrgPrincipal, query: ListAccessRequestsQueryDto): Promise<AccessRequestListDto> {
    const rows = await this.requests.find({
      where: { projectId: principal.projectId, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC' },
    });
    return { results: rows.map(toAccessRequestDto) };
  }

  async resolve(principal: OrgPrincipal, id: string, dto: ResolveAccessRequestDto): Promise<AccessRequestDto> {
    const row = await this.find(principal, id);
    if (row.status !== AccessRequestStatus.Pending) {
      throw accessRequestResolved(row.status);
    }
    row.status = dto.status === AccessRequestResolution.Approved ? AccessRequestStatus.Approved : AccessRequestStatus.Dismissed;
    row.note = dto.note || null;
    row.resolvedBy = principal.userId;
    row.resolvedAt = new Date();
    await this.requests.manager.transaction(async (tx) => {
      await tx.save(row);
      await this.recordEvent(tx, WebhookEventType.AccessRequestResolved, row);
    });
    return toAccessRequestDto(row);
  }

  private kindName(kind: string): string {
    return this.providers.find(kind)?.displayName ?? kind;
  }

  private async find(principal: OrgPrincipal, id: string): Promise<AccessRequestEntity> {
    const row = isUuid(id) ? await this.requests.findOne({ where: { id, projectId: principal.projectId } }) : null;
    if (!row) throw accessRequestNotFound();
    return row;
  }

  private async notifyAdmins(principal: OrgPrincipal, dto: RequestAccessDto, requestId: string): Promise<void> {
    const members = await this.organizations.listMembers(principal);
    const recipients = members
      .filter((m) => (m.role === OrgRole.Owner || m.role === OrgRole.Admin) && m.user.id !== principal.userId)
      .map((m) => m.user.email);
    if (recipients.length === 0) return;
    const link = `${this.config.siteUrl}/project/${principal.projectId}/integrations/${dto.kind}`;
    await this.mail.sendOnce(
      {
        organizationId: principal.organizationId,
        about: `access_request:${requestId}`,
        to: recipients,
        replyTo: principal.email,
        subject: `${principal.name} requested the ${this.kindName(dto.kind)} integration`,
        text:
          `${principal.name} (${principal.email}) asked for the ${this.kindName(dto.kind)} integration to be connected.\n\n` +
          `Reason:\n${dto.reason}\n\nConnect it here: ${link}\n\nReply to this email to answer ${principal.name}.\n`,
        dedupeKey: `access-request:${principal.projectId}:${dto.kind}:${principal.userId}`,
      },
      NOTIFY_WINDOW_MS,
    );
  }

  /** Connecting an integration approves the open requests for its kind in its project and tells the requesters. */
  private async approveOnConnect(integration: IntegrationEntity, actorUserId: string | null): Promise<void> {
    if (!integration.projectId) return;
    const open = await this.requests.find({
      where: { projectId: integration.projectId, kind: integration.provider, status: AccessRequestStatus.Pending },
    });
    for (const row of open) {
      const resolution = { status: AccessRequestStatus.Approved, resolvedBy: actorUserId, resolvedAt: new Date(), note: 'Integration connected' };
      const updated = await this.requests.manager.transaction(async (tx) => {
        const result = await tx.update(AccessRequestEntity, { id: row.id, status: AccessRequestStatus.Pending }, resolution);
        if (result.affected) await this.recordEvent(tx, WebhookEventType.AccessRequestResolved, Object.assign(row, resolution));
        return result;
      });
      if (!updated.affected) continue;
      const kindName = this.kindName(row.kind);
      await this.mail.send({
        organizationId: row.organizationId,
        to: [row.requesterEmail],
        subject: `The ${kindName} integration you requested is connected`,
        text:
          `Hi ${row.requesterName},\n\nThe ${kindName} integration you asked for (${integration.displayName}) is now connected.\n\n` +
          `${this.config.siteUrl}/project/${row.projectId}/integrations/${row.kind}\n`,
      });
    }
    if (open.length) this.logger.log(`approved ${open.length} access request(s) for ${integration.provider} in project ${integration.projectId}`);
  }

  /** The request as its API shows it, minus the requester's free-text reason. */
  private recordEvent(tx: EntityManager, type: WebhookEventType, row: AccessRequestEntity): Promise<string> {
    const { reason: _reason, ...request } = toAccessRequestDto(row);
    return this.events.record(tx, { type, organizationId: row.organizationId, payload: { access_request: { ...request, project_id: row.projectId } } });
  }
}

function toAccessRequestDto(row: AccessRequestEntity): AccessRequestDto {
  return {
    id: row.id,
    kind: row.kind as IntegrationProvider,
    reason: row.reason,
    status: row.status,
    note: row.note,
    requested_by: { id: row.requesterId, email: row.requesterEmail, name: row.requesterName },
    resolved_by: row.resolvedBy,
    resolved_at: row.resolvedAt ? row.resolvedAt.toISOString() : null,
    created_at: row.createdAt.toISOString(),
  };
}
