import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { generateApiKey, hashApiKey, maskApiKey } from '../auth/api-key.util';
import { Principal } from '../auth/principal';
import { ApiScope, expandScopes, OrgRole, ROLE_RANK, ROLE_SCOPE_CEILING, scopesCover } from '../auth/roles';
import { AuditService } from '../audit/audit.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { CreatePersonalApiKeyDto, PersonalApiKeyDto, PersonalApiKeyWithValueDto } from './dto/personal-api-key.dto';
import { MembershipEntity } from './membership.entity';
import { PersonalApiKeyEntity } from './personal-api-key.entity';
import { validationFailed } from '../common/common.errors';
import { keyPinned, organizationNotFound, personalApiKeyConflict, personalApiKeyNotFound, scopeAboveRole, scopeNotHeld } from './organizations.errors';

interface CachedPrincipal {
  principal: Principal;
  expiresAt: number;
}

const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Personal API keys: issue, verify, list, revoke, roll. Verification goes through a short-lived in-process
 * cache (API_KEY_CACHE_SECONDS): a revoked key stops working at once on the replica that revoked it and
 * within that many seconds on the others.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly lastUsedWritten = new Map<string, number>();
  /** Lookups in flight by key hash, each with the invalidation epoch it began in. */
  private readonly loading = new Map<string, { epoch: number; principal: Promise<Principal | null> }>();
  /** Bumped by every invalidation: a lookup that began before one neither caches its answer nor serves later requests. */
  private epoch = 0;

  constructor(
    @InjectRepository(PersonalApiKeyEntity) private readonly keys: Repository<PersonalApiKeyEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    private readonly dataSource: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * Keys belong to a user, not an organization: what is done to one is written to the audit log of the organization
   * it is pinned to, else the one it was created in, else every organization of the user.
   */
  private async auditKey(principal: Principal, row: Pick<PersonalApiKeyEntity, 'id' | 'scopedOrganizationId' | 'defaultOrganizationId'>, action: string, changes?: Record<string, unknown>): Promise<void> {
    const home = row.scopedOrganizationId ?? row.defaultOrganizationId;
    const organizations = home ? [home] : [...principal.memberships.keys()];
    for (const organizationId of organizations) {
      await this.audit.recordIn(organizationId, principal, { action, target: `personal_api_key:${row.id}`, changes }).catch((err: Error) => {
        // An organization deleted meanwhile has no audit log to write to.
        this.logger.warn(`audit of ${action} on key ${row.id} not recorded in ${organizationId}: ${err.message}`);
      });
    }
  }

  /**
   * The principal of a presented key: synchronously from the cache (the hot path takes no promise), else after the
   * database lookup.
   */
  verify(value: string): Principal | Promise<Principal | null> {
    const hash = hashApiKey(value);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) {
      this.touch(cached.principal.keyId, now);
      return clonePrincipal(cached.principal);
    }
    // One lookup however many requests present the key while its entry is missing or expired (every
    // API_KEY_CACHE_SECONDS under load: 50 connections used to run 50 queries at that moment). A lookup that began
    // before an invalidation is not joined by later requests, and stores nothing (see `epoch`).
    let pending = this.loading.get(hash);
    if (!pending || pending.epoch !== this.epoch) {
      const load = { epoch: this.epoch, principal: this.lookUp(hash, now, this.epoch) };
      this.loading.set(hash, load);
      const done = () => {
        if (this.loading.get(hash) === load) this.loading.delete(hash);
      };
      load.principal.then(done, done);
      pending = load;
    }
    return pending.principal.then((principal) => principal && clonePrincipal(principal));
  }

  /** The principal of a key hash from the database (cached unless an invalidation came meanwhile), or null. */
  private async lookUp(hash: string, now: number, epoch: number): Promise<Principal | null> {
    const row = await this.keys.findOne({ where: { secureValue: hash }, relations: { user: true } });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now) || !row.user) {
      this.cache.delete(hash);
      return null;
    }
    const memberships = await this.memberships.find({ where: { userId: row.userId } });
    const principal: Principal = {
      userId: row.userId,
      email: row.user.email,
      name: row.user.name,
      userCreatedAt: row.user.createdAt.toISOString(),
      keyId: row.id,
      keyHash: hash,
      scopes: row.scopes,
      pinnedOrganizationId: row.scopedOrganizationId,
      defaultOrganizationId: row.defaultOrganizationId,
      memberships: new Map(memberships.map((m) => [m.organizationId, m.role])),
    };
    const ttl = this.config.apiKeyCacheSeconds * 1000;
    if (ttl > 0 && epoch === this.epoch) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      // Never cache past the key's own expiry.
      const expiresAt = Math.min(now + ttl, row.expiresAt?.getTime() ?? Infinity);
      this.cache.set(hash, { principal, expiresAt });
    }
    this.touch(row.id, now, row.lastUsedAt?.getTime());
    return principal;
  }

  /** Drops one key's cached principal (revoked or rolled here): a lookup of it in flight caches nothing. */
  private forget(hash: string): void {
    this.epoch++;
    this.cache.delete(hash);
  }

  /** Drops every cached principal (the admin CLI changed keys through this process). */
  invalidateAll(): void {
    this.epoch++;
    this.cache.clear();
  }

  /** Drops cached principals of a user (membership or key changes on this replica take effect at once). */
  invalidateUser(userId: string): void {
    this.epoch++;
    for (const [hash, entry] of this.cache) if (entry.principal.userId === userId) this.cache.delete(hash);
  }

  async list(principal: Principal): Promise<PersonalApiKeyDto[]> {
    const rows = await this.keys.find({ where: { userId: principal.userId, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map(toDto);
  }

  async create(principal: Principal, dto: CreatePersonalApiKeyDto): Promise<PersonalApiKeyWithValueDto> {
    const scopes = [...new Set(dto.scopes)];
    for (const scope of scopes) {
      if (!scopesCover(principal.scopes, scope)) {
        throw scopeNotHeld(scope);
      }
    }
    let ceilingRole: OrgRole | undefined;
    if (dto.scoped_organization_id) {
      ceilingRole = principal.memberships.get(dto.scoped_organization_id);
      if (!ceilingRole || (principal.pinnedOrganizationId && principal.pinnedOrganizationId !== dto.scoped_organization_id)) {
        throw organizationNotFound('scoped_organization_id');
      }
    } else {
      if (principal.pinnedOrganizationId) {
        throw keyPinned('create keys for another organization');
      }
      ceilingRole = strongestRole(principal.memberships);
    }
    const ceiling = ceilingRole ? ROLE_SCOPE_CEILING[ceilingRole] : [];
    for (const scope of scopes) {
      const wanted = scope === ApiScope.All ? [...expandScopes([ApiScope.All])] : [scope as ApiScope];
      const excess = wanted.filter((s) => !ceiling.includes(s));
      if (excess.length > 0) {
        throw scopeAboveRole(excess[0]);
      }
    }
    if (dto.expires_at && new Date(dto.expires_at).getTime() <= Date.now()) {
      throw validationFailed('expires_at must be in the future', { attr: 'expires_at' });
    }
    const defaultOrganizationId = this.defaultFor(principal, dto);
    const scopedOrganizationId = dto.scoped_organization_id ?? null;
    const issued = await this.issue(principal.userId, dto.label, scopes, scopedOrganizationId, dto.expires_at ? new Date(dto.expires_at) : null, undefined, defaultOrganizationId);
    await this.auditKey(principal, { id: issued.id, scopedOrganizationId, defaultOrganizationId }, 'personal_api_key.create', {
      label: dto.label,
      scopes,
      ...(scopedOrganizationId ? { scoped_organization_id: scopedOrganizationId } : {}),
      ...(dto.expires_at ? { expires_at: dto.expires_at } : {}),
    });
    return issued;
  }

  /**
   * The organization a new key is created in: the pin, else the one asked for, else the creating key's own (the
   * organization it was created in), else the user's only one. A later second organization does not change it.
   */
  private defaultFor(principal: Principal, dto: CreatePersonalApiKeyDto): string | null {
    if (dto.scoped_organization_id) return dto.scoped_organization_id;
    if (dto.default_organization_id === null) return null;
    if (dto.default_organization_id) {
      if (!principal.memberships.has(dto.default_organization_id)) throw organizationNotFound('default_organization_id');
      return dto.default_organization_id;
    }
    const inherited = principal.pinnedOrganizationId ?? principal.defaultOrganizationId;
    if (inherited && principal.memberships.has(inherited)) return inherited;
    return principal.memberships.size === 1 ? (principal.memberships.keys().next().value as string) : null;
  }

  /** Issues a key without checks: for bootstrap and invite acceptance, which decide the scopes themselves. */
  async issue(
    userId: string,
    label: string,
    scopes: string[],
    scopedOrganizationId: string | null,
    expiresAt: Date | null,
    presetValue?: string,
    defaultOrganizationId: string | null = scopedOrganizationId,
  ): Promise<PersonalApiKeyWithValueDto> {
    const value = presetValue ?? generateApiKey();
    const row = await this.keys.save(
      this.keys.create({
        userId,
        label,
        scopes,
        scopedOrganizationId,
        defaultOrganizationId,
        expiresAt,
        secureValue: hashApiKey(value),
        maskValue: maskApiKey(value),
      }),
    );
    return { ...toDto(row), value };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const row = await this.ownedKey(principal, id);
    row.revokedAt = new Date();
    await this.keys.save(row);
    this.forget(row.secureValue);
    await this.auditKey(principal, row, 'personal_api_key.revoke', { label: row.label });
  }

  /** Replaces the key's value; the old value stops working at once on this replica. */
  async roll(principal: Principal, id: string): Promise<PersonalApiKeyWithValueDto> {
    const row = await this.ownedKey(principal, id);
    const value = generateApiKey();
    // A key rolling itself replaces the value it presented; of concurrent self-rolls only the first can.
    const oldHash = principal.keyId === id && principal.keyHash ? principal.keyHash : row.secureValue;
    const secureValue = hashApiKey(value);
    const maskValue = maskApiKey(value);
    // Compare-and-swap on the hash being replaced: a roll never overwrites a value it did not see, so no
    // response hands out a value that never worked.
    const swapped = await this.keys.update({ id, secureValue: oldHash, revokedAt: IsNull() }, { secureValue, maskValue });
    if (!swapped.affected) throw personalApiKeyConflict();
    this.forget(oldHash);
    await this.auditKey(principal, row, 'personal_api_key.roll', { mask_value: { old: row.maskValue, new: maskValue } });
    return { ...toDto({ ...row, secureValue, maskValue }), value };
  }

  private async ownedKey(principal: Principal, id: string): Promise<PersonalApiKeyEntity> {
    const row = await this.keys.findOne({ where: { id, userId: principal.userId, revokedAt: IsNull() } });
    if (!row) throw personalApiKeyNotFound();
    return row;
  }

  /** Writes last_used_at at most once a minute per key, off the request path. */
  private touch(keyId: string, now: number, persisted?: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? persisted ?? 0;
    if (now - last < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWritten.set(keyId, now);
    if (this.lastUsedWritten.size > CACHE_MAX_ENTRIES) this.lastUsedWritten.clear();
    this.dataSource
      .query(
        `UPDATE personal_api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [keyId],
      )
      .catch((err: Error) => this.logger.warn(`could not record key use: ${err.message}`));
  }
}

function strongestRole(memberships: ReadonlyMap<string, OrgRole>): OrgRole | undefined {
  let best: OrgRole | undefined;
  for (const role of memberships.values()) if (!best || ROLE_RANK[role] > ROLE_RANK[best]) best = role;
  return best;
}

/** A per-request copy of the cached principal (the guard adds the organization to it); one fixed shape, no spread. */
function clonePrincipal(p: Principal): Principal {
  return {
    userId: p.userId,
    email: p.email,
    name: p.name,
    userCreatedAt: p.userCreatedAt,
    keyId: p.keyId,
    keyHash: p.keyHash,
    scopes: p.scopes,
    pinnedOrganizationId: p.pinnedOrganizationId,
    defaultOrganizationId: p.defaultOrganizationId,
    memberships: p.memberships,
    organizationId: undefined,
    role: undefined,
    projectId: undefined,
    requestId: undefined,
    ip: undefined,
  };
}

function toDto(row: PersonalApiKeyEntity): PersonalApiKeyDto {
  return {
    id: row.id,
    label: row.label,
    scopes: row.scopes,
    mask_value: row.maskValue,
    scoped_organization_id: row.scopedOrganizationId,
    default_organization_id: row.defaultOrganizationId,
    expires_at: row.expiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
