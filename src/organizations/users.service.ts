import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { MeDto } from './dto/user.dto';
import { OrganizationsService } from './organizations.service';

@Injectable()
export class UsersService {
  constructor(private readonly organizations: OrganizationsService) {}

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
