import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { jsonPayload, preserialized } from '../common/preserialized';
import { MeDto } from './dto/user.dto';
import { OrganizationsService } from './organizations.service';
import { UserEntity } from './user.entity';

/** A user as other modules show them beside what they did (who created an integration, ...). */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

/** One caller's `@me` body, for the principal it was built from (see UsersService.me). */
interface MeMemo {
  userId: string;
  scopes: Principal['scopes'];
  pinned: string | null;
  /** The organizations the body lists or left out (no longer existing), in order, and the names it gave them. */
  visible: string[];
  names: Array<string | undefined>;
  body: MeDto;
}

function sameNames(fresh: string[], memo: Array<string | undefined>): boolean {
  for (let i = 0; i < fresh.length; i++) if (fresh[i] !== memo[i]) return false;
  return true;
}

@Injectable()
export class UsersService {
  /** Keyed by the cached principal's memberships map: a new map (a new cache entry) starts over, an evicted one is collected. */
  private readonly meMemo = new WeakMap<Principal['memberships'], MeMemo>();

  constructor(
    private readonly organizations: OrganizationsService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  /** The named users, in one query; ids of users that no longer exist are left out. */
  async summaries(ids: Array<string | null>): Promise<Map<string, UserSummary>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.users.find({ where: { id: In(wanted) }, select: { id: true, email: true, name: true } });
    return new Map(rows.map((u) => [u.id, { id: u.id, email: u.email, name: u.name }]));
  }

  /**
   * Served from the verified principal and the organization-name cache: no query on the hot path. The body and its
   * JSON are built once per cached principal (its memberships map, shared by every copy the key cache hands out)
   * and reused while the organizations' cached names are fresh and unchanged: then the answer comes back without a
   * promise and the reply serializer sends the text as it is (preserialized).
   */
  me(principal: Principal): MeDto | Promise<MeDto> {
    const memo = this.meMemo.get(principal.memberships);
    if (memo && memo.userId === principal.userId && memo.scopes === principal.scopes && memo.pinned === principal.pinnedOrganizationId) {
      const names = this.organizations.freshNames(memo.visible, Date.now());
      if (names && sameNames(names, memo.names)) return memo.body;
    }
    return this.buildMe(principal);
  }

  private async buildMe(principal: Principal): Promise<MeDto> {
    const visible = [...principal.memberships].filter(([id]) => !principal.pinnedOrganizationId || id === principal.pinnedOrganizationId);
    const ids = visible.map(([id]) => id);
    const names = await this.organizations.names(ids);
    const body: MeDto = {
      id: principal.userId,
      email: principal.email,
      name: principal.name,
      created_at: principal.userCreatedAt,
      organizations: visible.filter(([id]) => names.has(id)).map(([id, role]) => ({ id, name: names.get(id) as string, role })),
      scopes: principal.scopes,
      scoped_organization_id: principal.pinnedOrganizationId,
    };
    this.meMemo.set(principal.memberships, {
      userId: principal.userId,
      scopes: principal.scopes,
      pinned: principal.pinnedOrganizationId,
      visible: ids,
      names: ids.map((id) => names.get(id)),
      body: preserialized(body, jsonPayload(JSON.stringify(body))),
    });
    return body;
  }
}
