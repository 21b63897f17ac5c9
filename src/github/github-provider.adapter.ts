import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationProvider } from '../integrations/integration.enums';
import type {
  AuthorizeRequest,
  CallbackRequest,
  CallbackResult,
  Capability,
  ConnectResult,
  HealthResult,
  ProviderAdapter,
  ProviderContext,
  ProxyTarget,
  ProxyTargetRequest,
  RepoPage,
  RepoQuery,
} from '../integrations/providers/provider-adapter';
import { ProviderRegistry } from '../integrations/providers/provider-registry.service';
import { GithubClient } from './github-client.service';
import { GithubInstallFlowService } from './github-install-flow.service';
import { GithubInstallationsService } from './github-installations.service';
import { GithubRepositoriesService } from './github-repositories.service';
import { InstallationTokensService } from './installation-tokens.service';

/** GitHub behind the provider contract: connects App installations, checks health, lists repositories. */
@Injectable()
export class GithubProviderAdapter implements ProviderAdapter, OnModuleInit {
  readonly provider = IntegrationProvider.Github;
  readonly displayName = 'GitHub';
  readonly connectMethod = 'github_app' as const;
  readonly checks: Capability[] = [
    { id: 'branch_protection', name: 'Branch protection', description: 'The default branch is protected' },
    { id: 'ci_status', name: 'CI status', description: 'Required status checks pass' },
  ];
  readonly actions: Capability[] = [
    { id: 'label', name: 'Label', description: 'Add a label to an issue or pull request' },
    { id: 'comment', name: 'Comment', description: 'Comment on an issue or pull request' },
    { id: 'create_issue', name: 'Create issue', description: 'Open an issue' },
  ];

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly github: GithubClient,
    private readonly installations: GithubInstallationsService,
    private readonly repositories: GithubRepositoriesService,
    private readonly flow: GithubInstallFlowService,
    private readonly tokens: InstallationTokensService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  missingSettings(): string[] {
    return this.github.missingAppSettings();
  }

  async connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult> {
    const linked = await this.installations.connect(
      { organizationId: ctx.principal.organizationId, projectId: ctx.projectId, actorUserId: ctx.principal.userId },
      body.installationId,
      body.accountLogin,
    );
    return { kind: 'connected', ...linked };
  }

  async disconnect(integration: IntegrationEntity): Promise<void> {
    await this.installations.unlinkIfUnused(integration.organizationId, integration.externalAccountId);
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    try {
      const info = await this.installations.fetch(integration.externalAccountId);
      return { healthy: !info.suspended_at, details: { account: info.account?.login ?? null, suspended_at: info.suspended_at } };
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      return { healthy: false, details: { code: err.code, message: err.message } };
    }
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const search = query.search?.toLowerCase();
    const all = (await this.repositories.list(integration.externalAccountId)).filter((r) => !search || r.full_name.toLowerCase().includes(search));
    const start = (query.page - 1) * query.perPage;
    return { repos: all.slice(start, start + query.perPage).map((r) => ({ id: String(r.id), name: r.full_name, private: r.private })), total: all.length };
  }

  /**
   * The hub's GitHub API (github.com or an Enterprise Server through GITHUB_API_URL) with an installation token from
   * the broker's cache, narrowed as asked; after a 401 the cached tokens are dropped and one is minted afresh.
   */
  async proxyTarget(integration: IntegrationEntity, request: ProxyTargetRequest): Promise<ProxyTarget> {
    const installationId = integration.externalAccountId;
    await this.installations.assertMintable(installationId);
    const narrowing = { repositories: request.repositories, permissions: request.permissions };
    const minted = await this.tokens.token(installationId, narrowing);
    return {
      baseUrl: this.config.github.apiUrl,
      credentialHeaders: { authorization: `Bearer ${minted.token}` },
      refresh: async () => {
        await this.tokens.evict(installationId);
        return { authorization: `Bearer ${(await this.tokens.token(installationId, narrowing)).token}` };
      },
    };
  }

  authorizeUrl(req: AuthorizeRequest): Promise<string> {
    return Promise.resolve(this.flow.installUrl(req.state));
  }

  completeSetup(ctx: ProviderContext, config: Record<string, unknown>): Promise<ConnectResult> {
    return this.flow.completeSetup(ctx, config);
  }

  completeCallback(req: CallbackRequest): Promise<CallbackResult> {
    return this.flow.complete(req);
  }
}
