import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { IntegrationFlowsController } from './integration-flows.controller';
import { IntegrationFlowsService } from './integration-flows.service';
import { IntegrationObjectController } from './integration-object.controller';
import { IntegrationObjectService } from './integration-object.service';
import { IntegrationSyncService } from './integration-sync.service';
import { IntegrationEntity } from './integration.entity';
import { IntegrationsService } from './integrations.service';
import { IntegrationVersions } from './integration-versions.service';
import { OAuthStateEntity } from './oauth-state.entity';
import { OAuthStateService } from './oauth-state.service';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyEntity } from './policy.entity';
import { ProjectIntegrationsController } from './project-integrations.controller';
import { ProjectIntegrationsService } from './project-integrations.service';
import { DiscordAdapter } from './providers/discord.adapter';
import { EmailAdapter } from './providers/email.adapter';
import { GitlabAdapter } from './providers/gitlab.adapter';
import { JiraAdapter } from './providers/jira.adapter';
import { MantisbtAdapter } from './providers/mantisbt.adapter';
import { ProviderDeps } from './providers/provider-deps.service';
import { ProviderHttp } from './providers/provider-http.service';
import { ProviderRegistry } from './providers/provider-registry.service';
import { SlackAdapter } from './providers/slack.adapter';
import { TeamsAdapter } from './providers/teams.adapter';
import { WorkspaceIntegrationsController } from './workspace-integrations.controller';
import { WorkspaceIntegrationsService } from './workspace-integrations.service';

const ADAPTERS = [SlackAdapter, GitlabAdapter, JiraAdapter, DiscordAdapter, TeamsAdapter, MantisbtAdapter, EmailAdapter];

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationEntity, OAuthStateEntity, PolicyEntity]), OrganizationsModule, AuditModule],
  // The flows controller comes first: its static `integrations/:kind/callback` and project `authorize` routes sit beside the faces' parametric ones.
  controllers: [IntegrationFlowsController, WorkspaceIntegrationsController, IntegrationObjectController, ProjectIntegrationsController, PoliciesController],
  providers: [
    IntegrationsService,
    IntegrationVersions,
    ProviderRegistry,
    OAuthStateService,
    IntegrationFlowsService,
    ProviderHttp,
    ProviderDeps,
    ...ADAPTERS,
    PoliciesService,
    WorkspaceIntegrationsService,
    IntegrationObjectService,
    IntegrationSyncService,
    ProjectIntegrationsService,
  ],
  exports: [IntegrationsService, IntegrationVersions, ProviderRegistry, OAuthStateService, ProviderHttp, PoliciesService, ProjectIntegrationsService],
})
export class IntegrationsModule {}
