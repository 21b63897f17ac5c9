import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ApiKeysService } from './api-keys.service';
import { BootstrapService } from './bootstrap.service';
import { InviteEntity } from './invite.entity';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { PersonalApiKeyEntity } from './personal-api-key.entity';
import { PersonalApiKeysController } from './personal-api-keys.controller';
import { ProjectEntity } from './project.entity';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AuthDirectory } from '../auth/auth-directory';
import { OrganizationsAuthDirectory } from './organizations-auth-directory';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, ProjectEntity, UserEntity, MembershipEntity, InviteEntity, PersonalApiKeyEntity]), AuditModule],
  controllers: [UsersController, OrganizationsController, ProjectsController, InvitesController, PersonalApiKeysController],
  providers: [ApiKeysService, OrganizationsService, ProjectsService, InvitesService, UsersService, BootstrapService, { provide: AuthDirectory, useClass: OrganizationsAuthDirectory }],
  exports: [ApiKeysService, OrganizationsService, ProjectsService, UsersService, BootstrapService, AuthDirectory],
})
export class OrganizationsModule {}
