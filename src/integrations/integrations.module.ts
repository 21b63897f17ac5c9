import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationFlowsController } from './integration-flows.controller';
import { IntegrationFlowsService } from './integration-flows.service';
import { IntegrationEntity } from './integration.entity';
import { IntegrationsService } from './integrations.service';
import { OAuthStateEntity } from './oauth-state.entity';
import { OAuthStateService } from './oauth-state.service';
import { ProviderRegistry } from './providers/provider-registry.service';

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationEntity, OAuthStateEntity])],
  controllers: [IntegrationFlowsController],
  providers: [IntegrationsService, ProviderRegistry, OAuthStateService, IntegrationFlowsService],
  exports: [IntegrationsService, ProviderRegistry, OAuthStateService],
})
export class IntegrationsModule {}
