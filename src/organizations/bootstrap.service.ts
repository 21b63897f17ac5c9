import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiScope, OrgRole } from '../auth/roles';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { ApiKeysService } from './api-keys.service';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { ProjectEntity } from './project.entity';
import { UserEntity } from './user.entity';

export interface BootstrapResult {
  organizationId: string;
  projectId: string;
  userId: string;
  /** The all-scope key: BOOTSTRAP_API_KEY or a generated one. */
  apiKey: string;
  generated: boolean;
}

/** On first start with an empty database: an organization, a project, an owner and an all-scope key. */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Returns what it created, or null when the database already had users. Safe across replicas. */
  async run(): Promise<BootstrapResult | null> {
    const created = await this.dataSource.transaction(async (tx) => {
      // Replicas starting together serialize here; only the first finds an empty database.
      await tx.query('SELECT pg_advisory_xact_lock(727361)');
      if ((await tx.getRepository(UserEntity).count()) > 0) return null;
      const org = await tx.save(tx.create(OrganizationEntity, { name: 'Default organization' }));
      const project = await tx.save(tx.create(ProjectEntity, { organizationId: org.id, name: 'Default project' }));
      const user = await tx.save(tx.create(UserEntity, { email: this.config.bootstrapEmail.toLowerCase(), name: 'Administrator' }));
      await tx.save(tx.create(MembershipEntity, { organizationId: org.id, userId: user.id, role: OrgRole.Owner }));
      return { org, project, user };
    });
    if (!created) return null;
    const key = await this.apiKeys.issue(created.user.id, 'Bootstrap key', [ApiScope.All], null, null, this.config.bootstrapApiKey, created.org.id);
    const generated = !this.config.bootstrapApiKey;
    if (generated) {
      // Printed once, on purpose, to the console rather than the structured log.
      process.stdout.write(
        `\n  Integrations Hub bootstrap: owner ${created.user.email}, organization ${created.org.id}\n` +
          `  API key (shown once, store it now): ${key.value}\n\n`,
      );
    } else {
      this.logger.log(`bootstrap: owner ${created.user.email} created with the key from BOOTSTRAP_API_KEY`);
    }
    return { organizationId: created.org.id, projectId: created.project.id, userId: created.user.id, apiKey: key.value, generated };
  }
}
