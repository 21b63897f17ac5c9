import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { MeDto } from './dto/user.dto';
import { OrganizationsService } from './organizations.service';
import { UserEntity } from './user.entity';

/** A user as other modules show them beside what they did (who created an integration, ...). */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

@Injectable()
export class UsersService {
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

  /** Served from the verified principal and the organization-name cache: no query on the hot path. */
  async me(principal: Principal): Promise<MeDto> {
    const visible = [...principal.memberships].filter(([id]) => !principal.pinnedOrganizationId || id === principal.pinnedOrganizationId);
    const names = await this.organizations.names(visible.map(([id]) => id));
    return {
      id: principal.userId,
      email: principal.email,
      name: principal.name,
      created_at: principal.userCreatedAt,
      organizations: visible.filter(([id]) => names.has(id)).map(([id, role]) => ({ id, name: names.get(id) as string, role })),
      scopes: principal.scopes,
      scoped_organization_id: principal.pinnedOrganizationId,
    };
  }
}
