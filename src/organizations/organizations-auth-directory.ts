import { Injectable } from '@nestjs/common';
import { AuthDirectory } from '../auth/auth-directory';
import type { Principal } from '../auth/principal';
import { ApiKeysService } from './api-keys.service';
import { OrganizationsService } from './organizations.service';
import { ProjectsService } from './projects.service';

/** The organizations module's answers to authentication's questions. */
@Injectable()
export class OrganizationsAuthDirectory extends AuthDirectory {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly organizations: OrganizationsService,
    private readonly projects: ProjectsService,
  ) {
    super();
  }

  verifyApiKey(token: string): Principal | null | Promise<Principal | null> {
    return this.apiKeys.verify(token);
  }

  organizationOfProject(projectId: string): Promise<string | null> {
    return this.projects.organizationOf(projectId);
  }
}
