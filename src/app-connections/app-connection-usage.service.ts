import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { GithubInstallationsService } from '../github/github-installations.service';
import { GithubRepositoriesService } from '../github/github-repositories.service';
import { InstallationTokensService } from '../github/installation-tokens.service';
import { AppConnectionAuditAction } from './app-connection.enums';
import { appMethodRequired } from './app-connections.errors';
import { AppConnectionsService, auditTarget, OpenedConnection } from './app-connections.service';
import { ConnectionAccessTokenDto, ConnectionRepositoriesDto, CreateConnectionAccessTokenDto } from './dto/connection-usage.dto';
import { GithubInstanceType } from './app-connection.enums';
import { GatewaysService } from './gateways.service';
import { GithubAppConnectionCredentials, GithubConnectionCredentialsService } from './github-connection-credentials.service';

/** A connection that names an installation: what tokens and repositories need. */
type OpenedAppConnection = OpenedConnection & { credentials: GithubAppConnectionCredentials };

/** Using a GitHub connection: installation tokens (the GithubModule's cache and narrowing rules) and repositories. */
@Injectable()
export class AppConnectionUsageService {
  constructor(
    private readonly connections: AppConnectionsService,
    private readonly tokens: InstallationTokensService,
    private readonly repositories: GithubRepositoriesService,
    private readonly installations: GithubInstallationsService,
    private readonly githubCredentials: GithubConnectionCredentialsService,
    private readonly gateways: GatewaysService,
    private readonly audit: AuditService,
  ) {}

  async mintToken(principal: OrgPrincipal, id: string, dto: CreateConnectionAccessTokenDto, requestId: string): Promise<ConnectionAccessTokenDto> {
    const connection = await this.openUsable(principal, id);
    const minted = await this.tokens.token(
      connection.credentials.installationId,
      { repositories: dto.repositories, repository_ids: dto.repository_ids, permissions: dto.permissions },
      this.endpoints(connection),
    );
    await this.audit.record(principal, { action: AppConnectionAuditAction.TokenMint, target: auditTarget(id), requestId });
    return {
      token: minted.token,
      expires_at: minted.expires_at,
      permissions: minted.permissions,
      repository_selection: minted.repository_selection,
      ...(minted.repositories ? { repositories: minted.repositories } : {}),
    };
  }

  async listRepositories(principal: OrgPrincipal, id: string): Promise<ConnectionRepositoriesDto> {
    const connection = await this.openUsable(principal, id);
    return { repositories: await this.repositories.list(connection.credentials.installationId, this.endpoints(connection)) };
  }

  /**
   * Opens the connection and, for one on the hub's own GitHub (cloud), refuses an installation the hub knows is
   * suspended or uninstalled, as the broker does. A server connection's installations live on another instance,
   * whose webhooks the hub does not receive.
   */
  private async openUsable(principal: OrgPrincipal, id: string): Promise<OpenedAppConnection> {
    const { row, credentials } = await this.connections.open(principal, id);
    if (!('installationId' in credentials)) throw appMethodRequired();
    if (credentials.instanceType === GithubInstanceType.Cloud) await this.installations.assertMintable(credentials.installationId);
    return { row, credentials };
  }

  private endpoints({ row, credentials }: OpenedAppConnection) {
    return this.githubCredentials.endpoints(credentials, row.gatewayId ? this.gateways.proxyUrl(row.gatewayId) : undefined);
  }
}
