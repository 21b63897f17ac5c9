import { Module } from '@nestjs/common';
import { AppConnectionsModule } from '../app-connections/app-connections.module';
import { AuditModule } from '../audit/audit.module';
import { GithubModule } from '../github/github.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ProxyController } from './proxy.controller';
import { ProxyIntegrationCache } from './proxy-integration-cache';
import { ProxyLimiter } from './proxy-limiter';
import { ProxyService } from './proxy.service';

/**
 * The provider proxy: `/api/proxy/{integration_id}/...` forwards to the integration's provider through its adapter's
 * proxy target. GithubModule is imported so the GitHub adapter has registered before the first call.
 */
@Module({
  imports: [IntegrationsModule, GithubModule, AppConnectionsModule, AuditModule],
  controllers: [ProxyController],
  providers: [ProxyService, ProxyLimiter, ProxyIntegrationCache],
})
export class ProxyModule {}
