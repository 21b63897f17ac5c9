import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { MeDto } from './dto/user.dto';
import { OrganizationsService } from './organizations.service';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly organizations: OrganizationsService,
  ) {}

  async me(principal: Principal): Promise<MeDto> {
    const [user, orgs] = await Promise.all([
      this.users.findOneByOrFail({ id: principal.userId }),
      this.organizations.listForPrincipal(principal),
    ]);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      created_at: user.createdAt.toISOString(),
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, role: o.membership_role })),
      scopes: principal.scopes,
      scoped_organization_id: principal.pinnedOrganizationId,
    };
  }
}
