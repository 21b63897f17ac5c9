import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { OrgPrincipal, Principal } from '../auth/principal';
import { OrgRole } from '../auth/roles';
import { AuditService, changesOf } from '../audit/audit.service';
import { ApiKeysService } from './api-keys.service';
import { CreateOrganizationDto, DeleteOrganizationDto, MemberDto, OrganizationDto, UpdateMemberDto, UpdateOrganizationDto } from './dto/organization.dto';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { ProjectEntity } from './project.entity';
import { confirmationRequired, keyPinned, lastOwner, memberNotFound, ownerRequired } from './organizations.errors';

const EXISTS_TTL_MS = 10_000;

@Injectable()
export class OrganizationsService {
  private readonly logger = new Logger(OrganizationsService.name);
  /** id -> name, refreshed every EXISTS_TTL_MS; renames on this replica update it at once. */
  private readonly nameCache = new Map<string, { name: string; until: number }>();
  /** Name reads in flight by organization id, each with the epoch it began in (see `names`). */
  private readonly nameReads = new Map<string, { epoch: number; name: Promise<string | null> }>();
  private nameEpoch = 0;

  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  /** The cached name of each of `ids`, in order, while every one is fresh; undefined otherwise (`names` asks the database). */
  freshNames(ids: readonly string[], now: number): string[] | undefined {
    const names = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const hit = this.nameCache.get(ids[i]);
      if (!hit || hit.until <= now) return undefined;
      names[i] = hit.name;
    }
    return names;
  }

  /**
   * Names of existing organizations among `ids`, mostly from cache. The ids missing from it are read in one query,
   * and a request that needs an id already being read waits for that query instead of running its own (every
   * EXISTS_TTL_MS under load, each connection's `@me` used to query at that moment). A rename or delete here while a
   * read is in flight leaves its result uncached.
   */
  async names(ids: string[]): Promise<Map<string, string>> {
    const now = Date.now();
    const result = new Map<string, string>();
    const missing: string[] = [];
    const waits: Array<Promise<void>> = [];
    for (const id of ids) {
      const hit = this.nameCache.get(id);
      if (hit && hit.until > now) {
        result.set(id, hit.name);
        continue;
      }
      const reading = this.nameReads.get(id);
      if (reading && reading.epoch === this.nameEpoch) waits.push(reading.name.then((name) => void (name !== null && result.set(id, name))));
      else missing.push(id);
    }
    if (missing.length > 0) waits.push(this.readNames(missing, now).then((names) => void names.forEach((name, id) => result.set(id, name))));
    if (waits.length > 0) await Promise.all(waits);
    return result;
  }

  private readNames(ids: string[], now: number): Promise<Map<string, string>> {
    const epoch = this.nameEpoch;
    const query = this.organizations.find({ where: { id: In(ids) }, select: { id: true, name: true } }).then((rows) => {
      const names = new Map(rows.map((row) => [row.id, row.name]));
      if (epoch === this.nameEpoch) {
        if (this.nameCache.size > 50_000) this.nameCache.clear();
        for (const [id, name] of names) this.nameCache.set(id, { name, until: now + EXISTS_TTL_MS });
      }
      return names;
    });
    for (const id of ids) {
      const read = { epoch, name: query.then((names) => names.get(id) ?? null) };
      this.nameReads.set(id, read);
      const done = () => {
        if (this.nameReads.get(id) === read) this.nameReads.delete(id);
      };
      read.name.then(done, done);
    }
    return query;
  }

  /** A rename or delete on this replica: the cached name goes, and a read in flight neither caches nor serves it. */
  private forgetName(id: string): void {
    this.nameEpoch++;
    this.nameCache.delete(id);
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
    await this.audit.recordIn(org.id, principal, { action: 'organization.create', target: `organization:${org.id}`, changes: { name: org.name } });
    return toOrganizationDto(org, OrgRole.Owner);
  }

  async get(principal: OrgPrincipal): Promise<OrganizationDto> {
    const row = await this.organizations.findOneOrFail({ where: { id: principal.organizationId } });
    return toOrganizationDto(row, principal.role);
  }

  async update(principal: OrgPrincipal, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    const row = await this.organizations.findOneOrFail({ where: { id: principal.organizationId } });
    const changes = changesOf({ name: row.name }, { name: dto.name }, ['name']);
    if (dto.name !== undefined) row.name = dto.name;
    await this.organizations.save(row);
    this.forgetName(row.id);
    await this.audit.record(principal, { action: 'organization.update', target: `organization:${row.id}`, changes });
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
      const changes = changesOf({ role: member.role }, { role: dto.role }, ['role']);
      member.role = dto.role;
      await tx.save(member);
      this.apiKeys.invalidateUser(userId);
      await this.audit.record(principal, { action: 'member.update', target: `user:${userId}`, changes });
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
      await this.audit.record(principal, { action: 'member.remove', target: `user:${userId}`, changes: { role: member.role, email: member.user?.email } });
    });
    this.apiKeys.invalidateUser(userId);
  }

  /**
   * Deletes an organization and everything it owns, in one transaction: every row of every table with an
   * `organization_id` (projects and what hangs off them cascade), keys pinned to it, and memberships; keys that merely
   * defaulted to it lose that default. The caller must be an owner and name the organization (`confirm`). Installed
   * GitHub Apps and provider-side grants are not revoked at the provider: the hub only forgets them.
   */
  async delete(principal: OrgPrincipal, dto: DeleteOrganizationDto): Promise<void> {
    const row = await this.organizations.findOneOrFail({ where: { id: principal.organizationId } });
    if (dto.confirm !== row.name) throw confirmationRequired(row.name);
    const members = await this.memberships.find({ where: { organizationId: row.id } });
    await this.dataSource.transaction(async (tx) => {
      const tables: Array<{ table_name: string }> = await tx.query(
        `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
          WHERE c.table_schema = current_schema() AND c.column_name = 'organization_id' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'organizations'
          ORDER BY c.table_name`,
      );
      const projectTables: Array<{ table_name: string }> = await tx.query(
        `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
          WHERE c.table_schema = current_schema() AND c.column_name = 'project_id' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name`,
      );
      // Rows that name a project of the organization without naming the organization itself go first.
      for (const { table_name } of projectTables) {
        await tx.query(`DELETE FROM "${table_name}" WHERE project_id IN (SELECT id FROM projects WHERE organization_id = $1)`, [row.id]);
      }
      for (const { table_name } of tables) await tx.query(`DELETE FROM "${table_name}" WHERE organization_id = $1`, [row.id]);
      await tx.query(`DELETE FROM personal_api_keys WHERE scoped_organization_id = $1`, [row.id]);
      await tx.query(`DELETE FROM organizations WHERE id = $1`, [row.id]);
    });
    this.forgetName(row.id);
    for (const m of members) this.apiKeys.invalidateUser(m.userId);
    this.logger.warn(`organization ${row.id} (${row.name}) deleted with everything it owned by user ${principal.userId} (key ${principal.keyId}, ${principal.ip ?? 'no address'})`);
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
