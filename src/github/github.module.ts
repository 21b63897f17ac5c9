import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationsModule } from '../integrations/integrations.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { GithubAppManifestController } from './github-app-manifest.controller';
import { GithubAppManifestService } from './github-app-manifest.service';
import { GithubAppRegistrationEntity } from './github-app-registration.entity';
import { GithubAppSettingsService } from './github-app-settings.service';
import { GithubAppsController } from './github-apps.controller';
import { GithubBrokerController } from './github-broker.controller';
import { GithubBrokerService } from './github-broker.service';
import { GithubChangeEvents } from './github-change-events';
import { GithubClient } from './github-client.service';
import { GithubInstallFlowService } from './github-install-flow.service';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { GithubProjectLinksService } from './github-project-links.service';
import { GithubProjectController } from './github-project.controller';
import { GithubProjectResourcesController } from './github-project-resources.controller';
import { GithubProjectResourcesService } from './github-project-resources.service';
import { GithubProviderAdapter } from './github-provider.adapter';
import { GithubRepositoriesService } from './github-repositories.service';
import { GithubUserLinkEntity } from './github-user-link.entity';
import { GithubUserLinksService } from './github-user-links.service';
import { GithubWebhookDeliveryEntity } from './github-webhook-delivery.entity';
import { GithubWebhooksController } from './github-webhooks.controller';
import { GithubWebhooksService } from './github-webhooks.service';
import { InstallationLocalCache } from './installation-local-cache';
import { InstallationTokenCache } from './installation-token.cache';
import { InstallationTokensService } from './installation-tokens.service';

/** GitHub App auth, installations, token broker, install/OAuth flows, webhooks, link_existing. */
@Module({
  imports: [TypeOrmModule.forFeature([GithubInstallationEntity, GithubUserLinkEntity, GithubWebhookDeliveryEntity, GithubAppRegistrationEntity]), IntegrationsModule, OrganizationsModule],
  controllers: [GithubBrokerController, GithubAppsController, GithubProjectController, GithubProjectResourcesController, GithubWebhooksController, GithubAppManifestController],
  providers: [
    GithubClient,
    GithubAppSettingsService,
    GithubAppManifestService,
    GithubChangeEvents,
    InstallationTokenCache,
    InstallationLocalCache,
    InstallationTokensService,
    GithubInstallationsService,
    GithubRepositoriesService,
    GithubUserLinksService,
    GithubInstallFlowService,
    GithubBrokerService,
    GithubProjectLinksService,
    GithubProjectResourcesService,
    GithubWebhooksService,
    GithubProviderAdapter,
  ],
  exports: [GithubProviderAdapter, GithubClient, GithubChangeEvents, InstallationTokensService, GithubInstallationsService, GithubRepositoriesService],
})
export class GithubModule {}
