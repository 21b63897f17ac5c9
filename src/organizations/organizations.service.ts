import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { OrgPrincipal, Principal } from '../auth/principal';
import { OrgRole } from '../auth/roles';
import { ApiKeysService } from './api-keys.service';
import { CreateOrganizationDto, MemberDto, OrganizationDto, UpdateMemberDto, UpdateOrganizationDto } from './dto/organization.dto';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { ProjectEntity } from './project.entity';
import { keyPinned, lastOwner, memberNotFound, ownerRequired } from './organizations.errors';

const EXISTS_TTL_MS = 10_000;

@Injectable()
export class OrganizationsService {
  /** id -> name, refreshed every EXISTS_TTL_MS; renames on this replica update it at once. */
  private readonly nameCache = new Map<string, { name: string; until: number }>();

  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** Names of existing organizations among `ids`, mostly from cache. */
  async names(ids: string[]): Promise<Map<string, string>> {
    const now = Date.now();
    const result = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.nameCache.get(id);
      if (hit && hit.until > now) result.set(id, hit.name);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const rows = await this.organizations.find({ where: { id: In(missing) }, select: { id: true, name: true } });
      if (this.nameCache.size > 50_000) this.nameCache.clear();
      for (const row of rows) {
        this.nameCache.set(row.id, { name: row.name, until: now + EXISTS_TTL_MS });
        result.set(row.id, row.name);
      }
    }
    return result;
  }

  async listForPrincipal(principal: Principal): Promise<OrganizationDto[]> {
    const ids = [...principal.memberships.keys()].filter((id) => !principal.pinnedOrganizationId || id === principal.pinnedOrganizationId);
    if (ids.length === 0) return [];
    const rows = await this.organizations.find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
    return rows.map((row) => toOrganizationDto(row, principal.memberships.get(row.id) as OrgRole));
  }

  /** Creates an organization with the caller as its owner and a first project. */
  async create(principal: Principal, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    if (principal.pinnedOrganizationId) {
      throw keyPinned('create organizations');
    }
    const org = await this.dataSource.transaction(async (tx) => {
      const created = await tx.save(tx.create(OrganizationEntity, { name: dto.name }));
      await tx.save(tx.create(MembershipEntity, { organizationId: created.id, userId: principal.userId, role: OrgRole.Owner }));
      await tx.save(tx.create(ProjectEntity, { organizationId: created.id, name: 'Default project' }));
      return created;
    });
    this.apiKeys.invalidateUser(principal.userId);
    return toOrganizationDto(org, OrgRole.Owner);
  }

  async get(principal: OrgPrincipal): Promise<OrganizationDto> {
    const row = await this.organizations.findOneOrFail({ where: { id: principal.organizationId } });
    return toOrganizationDto(row, principal.role);
  }

  async update(principal: OrgPrincipal, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    const row = await this.organizations.findOneOrFail({ where: { id: principal.organizationId } });
    if (dto.name !== undefined) row.name = dto.name;
    await this.organizations.save(row);
    this.nameCache.delete(row.id);
    return toOrganizationDto(row, principal.role);
  }

  async listMembers(principal: OrgPrincipal): Promise<MemberDto[]> {
    const rows = await this.memberships.find({
      where: { organizationId: principal.organizationId },
      relations: { user: true },
      order: { createdAt: 'ASC' },
    });
    return rows.map(toMemberDto);
  }

  /** The email addresses of an organization's owners and admins (for notices from background work). */
  async adminEmails(organizationId: string): Promise<string[]> {
    const rows = await this.memberships.find({ where: { organizationId, role: In([OrgRole.Owner, OrgRole.Admin]) }, relations: { user: true }, order: { createdAt: 'ASC' } });
    return rows.flatMap((m) => (m.user ? [m.user.email] : []));
  }

  /** Only owners grant or take away `owner`; the last owner cannot be demoted. */
  async updateMember(principal: OrgPrincipal, userId: string, dto: UpdateMemberDto): Promise<MemberDto> {
    return this.dataSource.transaction(async (tx) => {
      const member = await this.lockedMember(tx.getRepository(MembershipEntity), principal.organizationId, userId);
      if ((member.role === OrgRole.Owner || dto.role === OrgRole.Owner) && principal.role !== OrgRole.Owner) {
        throw ownerRequired();
      }
      if (member.role === OrgRole.Owner && dto.role !== OrgRole.Owner) await this.ensureAnotherOwner(tx.getRepository(MembershipEntity), principal.organizationId);
      member.role = dto.role;
      await tx.save(member);
      this.apiKeys.invalidateUser(userId);
      return toMemberDto(member);
    });
  }

  async removeMember(principal: OrgPrincipal, userId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(MembershipEntity);
      const member = await this.lockedMember(repo, principal.organizationId, userId);
      if (member.role === OrgRole.Owner) {
        if (principal.role !== OrgRole.Owner) throw ownerRequired();
        await this.ensureAnotherOwner(repo, principal.organizationId);
      }
      await repo.delete({ id: member.id });
    });
    this.apiKeys.invalidateUser(userId);
  }

  private async lockedMember(repo: Repository<MembershipEntity>, organizationId: string, userId: string): Promise<MembershipEntity> {
    // Lock every membership row of the organization: concurrent demotions cannot both pass the last-owner check.
    const rows = await repo.find({ where: { organizationId }, relations: { user: true }, lock: { mode: 'pessimistic_write', tables: ['memberships'] } });
    const member = rows.find((m) => m.userId === userId);
    if (!member) throw memberNotFound();
    return member;
  }

  private async ensureAnotherOwner(repo: Repository<MembershipEntity>, organizationId: string): Promise<void> {
    const owners = await repo.count({ where: { organizationId, role: OrgRole.Owner } });
    if (owners <= 1) throw lastOwner();
  }
}

export function toOrganizationDto(row: OrganizationEntity, role: OrgRole): OrganizationDto {
  return { id: row.id, name: row.name, membership_role: role, created_at: row.createdAt.toISOString(), updated_at: row.updatedAt.toISOString() };
}

function toMemberDto(row: MembershipEntity): MemberDto {
  const user = row.user as NonNullable<MembershipEntity['user']>;
  return { user: { id: user.id, email: user.email, name: user.name }, role: row.role, joined_at: row.createdAt.toISOString() };
}
