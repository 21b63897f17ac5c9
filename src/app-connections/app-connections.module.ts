import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { GithubModule } from '../github/github.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AppConnectionEntity } from './app-connection.entity';
import { AppConnectionOptionsService } from './app-connection-options.service';
import { AppConnectionUsageService } from './app-connection-usage.service';
import { AppConnectionsController } from './app-connections.controller';
import { AppConnectionsService } from './app-connections.service';
import { CredentialsHashService } from './credentials-hash.service';
import { GatewaysService } from './gateways.service';
import { GithubConnectionCredentialsService } from './github-connection-credentials.service';
import { GithubConnectionsController } from './github-connections.controller';
import { ServerSecretEntity } from './server-secret.entity';
import { ServerSecretsService } from './server-secrets.service';

/** Infisical-style app connections: named, sealed credentials (GitHub first) that other features reference. */
@Module({
  imports: [TypeOrmModule.forFeature([AppConnectionEntity, ServerSecretEntity]), GithubModule, OrganizationsModule, AuditModule],
  controllers: [GithubConnectionsController, AppConnectionsController],
  providers: [
    AppConnectionsService,
    AppConnectionUsageService,
    AppConnectionOptionsService,
    GithubConnectionCredentialsService,
    CredentialsHashService,
    ServerSecretsService,
    GatewaysService,
  ],
  exports: [AppConnectionsService, GatewaysService],
})
export class AppConnectionsModule {}
