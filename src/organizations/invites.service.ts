import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull, Repository } from 'typeorm';
import { OrgPrincipal } from '../auth/principal';
import { OrgRole, ROLE_SCOPE_CEILING } from '../auth/roles';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { ApiKeysService } from './api-keys.service';
import { AcceptedInviteDto, AcceptInviteDto, CreatedInviteDto, CreateInviteDto, InviteDto } from './dto/invite.dto';
import { InviteEntity } from './invite.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { toOrganizationDto } from './organizations.service';
import { UserEntity } from './user.entity';
import { inviteInvalid, inviteNotFound, ownerRequired } from './organizations.errors';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class InvitesService implements OnModuleInit {
  constructor(
    @InjectRepository(InviteEntity) private readonly invites: Repository<InviteEntity>,
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly mail: MailService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
  ) {}

  /** An invitation mailed late would carry a dead token: checked when SMTP finally delivers it. */
  onModuleInit(): void {
    this.mail.registerRelevance('invite', async (id) => {
      const row = await this.invites.findOne({ where: { id } });
      if (!row) return 'invite revoked';
      if (row.acceptedAt) return 'invite already accepted';
      if (row.expiresAt.getTime() <= Date.now()) return 'invite expired';
      return null;
    });
  }

  async create(principal: OrgPrincipal, dto: CreateInviteDto): Promise<CreatedInviteDto> {
    if (dto.role === OrgRole.Owner && principal.role !== OrgRole.Owner) {
      throw ownerRequired();
    }
    const token = `ihi_${randomBytes(32).toString('base64url')}`;
    const email = dto.email.toLowerCase();
    const row = await this.invites.save(
      this.invites.create({
        organizationId: principal.organizationId,
        email,
        role: dto.role,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
        createdBy: principal.userId,
        acceptedAt: null,
      }),
    );
    // Always through the outbox: delivered when SMTP is configured, kept (sealed) otherwise.
    const org = await this.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ id: principal.organizationId });
    await this.mail.send({
      organizationId: principal.organizationId,
      about: `invite:${row.id}`,
      to: [email],
      replyTo: principal.email,
      subject: `${principal.name} invited you to ${org.name} on Integrations Hub`,
      text:
        `${principal.name} invited you to join ${org.name} as ${dto.role}.\n\n` +
        `Accept within 7 days:\n\ncurl -X POST ${this.config.siteUrl}/api/invites/accept -H 'Content-Type: application/json' ` +
        `-d '{"token":"${token}","name":"Your Name"}'\n`,
    });
    await this.audit.record(principal, { action: 'invite.create', target: `invite:${row.id}`, changes: { email, role: row.role } });
    return { id: row.id, email, role: row.role, token, expires_at: row.expiresAt.toISOString() };
  }

  async list(principal: OrgPrincipal): Promise<InviteDto[]> {
    const rows = await this.invites.find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC' } });
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      expires_at: r.expiresAt.toISOString(),
      accepted_at: r.acceptedAt?.toISOString() ?? null,
      created_at: r.createdAt.toISOString(),
    }));
  }

  async revoke(principal: OrgPrincipal, id: string): Promise<void> {
    const result = await this.invites.delete({ id, organizationId: principal.organizationId, acceptedAt: IsNull() });
    if (!result.affected) throw inviteNotFound();
    await this.audit.record(principal, { action: 'invite.revoke', target: `invite:${id}` });
  }

  /** Single use: the row is claimed with a conditional update, so two concurrent accepts cannot both win. */
  async accept(dto: AcceptInviteDto, requestContext?: { requestId: string; ip: string }): Promise<AcceptedInviteDto> {
    const { user, org, role, inviteId } = await this.dataSource.transaction(async (tx) => {
      const claimed: Array<{ id: string; organization_id: string; email: string; role: OrgRole }> = await tx.query(
        `UPDATE invites SET accepted_at = now()
          WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
          RETURNING id, organization_id, email, role`,
        [hashToken(dto.token)],
      ).then((result: [unknown[], number] | unknown[]) => (Array.isArray(result[0]) ? result[0] : result) as never);
      const invite = claimed[0];
      if (!invite) throw inviteInvalid();
      const users = tx.getRepository(UserEntity);
      let found = await users.findOne({ where: { email: invite.email } });
      if (!found) found = await users.save(users.create({ email: invite.email, name: dto.name }));
      const memberships = tx.getRepository(MembershipEntity);
      const existing = await memberships.findOne({ where: { organizationId: invite.organization_id, userId: found.id } });
      if (!existing) await memberships.save(memberships.create({ organizationId: invite.organization_id, userId: found.id, role: invite.role }));
      const organization = await tx.getRepository(OrganizationEntity).findOneByOrFail({ id: invite.organization_id });
      return { user: found, org: organization, role: existing?.role ?? invite.role, inviteId: invite.id };
    });
    this.apiKeys.invalidateUser(user.id);
    const key = await this.apiKeys.issue(user.id, 'First key', [...ROLE_SCOPE_CEILING[role]], null, null, undefined, org.id);
    const actor = { userId: user.id, keyId: key.id, requestId: requestContext?.requestId, ip: requestContext?.ip };
    await this.audit.recordIn(org.id, actor, { action: 'invite.accept', target: `invite:${inviteId}`, changes: { email: user.email, role } });
    await this.audit.recordIn(org.id, actor, { action: 'personal_api_key.create', target: `personal_api_key:${key.id}`, changes: { label: key.label, scopes: key.scopes } });
    return {
      user: { id: user.id, email: user.email, name: user.name, created_at: user.createdAt.toISOString() },
      organization: toOrganizationDto(org, role),
      personal_api_key: { id: key.id, label: key.label, scopes: key.scopes, value: key.value },
    };
  }
}
