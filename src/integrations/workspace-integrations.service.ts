import { Injectable, Logger } from '@nestjs/common';
import type { OrgPrincipal } from '../auth/principal';
import { HubError } from '../common/hub-error';
import type {
  ActionsDto,
  ChecksDto,
  ConnectIntegrationDto,
  ConnectResultDto,
  DisconnectResultDto,
  HealthDto,
  RepoListDto,
  RepoQueryDto,
  WorkspaceIntegrationDto,
} from './dto/workspace-integration.dto';
import { IntegrationFlowsService } from './integration-flows.service';
import { toWorkspaceIntegration } from './integration-mappers';
import type { IntegrationEntity } from './integration.entity';
import { IntegrationProvider, IntegrationStatus } from './integration.enums';
import { IntegrationsService } from './integrations.service';
import { PoliciesService } from './policies.service';
import { ProviderAdapter } from './providers/provider-adapter';
import { ProviderRegistry } from './providers/provider-registry.service';
import { integrationNotConnected, integrationNotFound } from './integrations.errors';

const MAX_PER_PAGE = 100;

/** TinyOps' workspace face: the organization comes from the key; integrations are workspace-level. */
@Injectable()
export class WorkspaceIntegrationsService {
  private readonly logger = new Logger(WorkspaceIntegrationsService.name);
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly integrations: IntegrationsService,
    private readonly flows: IntegrationFlowsService,
    private readonly policies: PoliciesService,
  ) {}

  async list(principal: OrgPrincipal): Promise<WorkspaceIntegrationDto[]> {
    const [rows] = await this.integrations.listInOrganization(principal.organizationId);
    return rows.map(toWorkspaceIntegration);
  }

  async connect(principal: OrgPrincipal, provider: string, body: ConnectIntegrationDto): Promise<ConnectResultDto> {
    const adapter = this.registry.get(provider);
    const { next, ...fields } = body;
    const credentials = fields as Record<string, unknown>;
    // OAuth providers answer with the authorize URL unless the body carries credentials they also accept (a token, a webhook URL).
    const direct = adapter.acceptsDirectCredentials ? adapter.acceptsDirectCredentials(credentials) : adapter.connectMethod !== 'oauth';
    if (!direct && adapter.authorizeUrl) {
      const redirect = await this.flows.beginAuthorize(principal, provider, next);
      return { connected: false, authorizeUrl: redirect.location };
    }
    const result = await adapter.connect({ principal, projectId: null }, credentials);
    if (result.kind === 'redirect') return { connected: false, authorizeUrl: result.authorizeUrl };
    return { connected: true, integration: toWorkspaceIntegration(result.integration) };
  }

  async disconnect(principal: OrgPrincipal, provider: string, integrationId?: string): Promise<DisconnectResultDto> {
    const adapter = this.registry.get(provider);
    const targets = integrationId
      ? [await this.integrations.findInOrganization(principal.organizationId, integrationId)].filter((r) => r.provider === adapter.provider)
      : (await this.integrations.listInOrganization(principal.organizationId, { provider: adapter.provider }))[0].filter((r) => r.status !== IntegrationStatus.Disconnected);
    if (integrationId && targets.length === 0) throw integrationNotFound();
    await this.integrations.markDisconnected(targets.map((r) => r.id));
    // After marking, so an adapter can tell whether anything still uses what it is about to release.
    for (const row of targets) {
      await adapter.disconnect?.(row).catch((err: Error) => this.logger.error(`${provider} cleanup after disconnecting ${row.id} failed: ${err.message}`));
    }
    const disabledPolicies = await this.policies.disableForIntegrations(targets, `The ${provider} integration was disconnected by ${principal.email}`);
    return { disconnected: targets.map((r) => r.id), disabledPolicies };
  }

  checks(provider: string): ChecksDto {
    const adapter = this.registry.get(provider);
    return { provider: adapter.provider, checks: adapter.checks };
  }

  actions(provider: string): ActionsDto {
    const adapter = this.registry.get(provider);
    return { provider: adapter.provider, actions: adapter.actions };
  }

  async repos(principal: OrgPrincipal, provider: string, query: RepoQueryDto): Promise<RepoListDto> {
    const { adapter, integration } = await this.resolve(principal, provider, query.integrationId);
    const page = query.page ?? 1;
    const perPage = Math.min(query.per_page ?? 30, MAX_PER_PAGE);
    const result = await adapter.listRepos(integration, { page, perPage, search: query.search || undefined });
    return { repos: result.repos, total: result.total, page, per_page: perPage };
  }

  async health(principal: OrgPrincipal, provider: string, integrationId?: string): Promise<HealthDto> {
    const { adapter, integration } = await this.resolve(principal, provider, integrationId);
    const checkedAt = new Date().toISOString();
    try {
      const result = await adapter.health(integration);
      // An email domain remembers whether its records were all found (PostHog's `verified` on the project face).
      if (adapter.provider === IntegrationProvider.Email && integration.metadata?.verified !== result.healthy) {
        await this.integrations.update(integration, { metadata: { ...integration.metadata, verified: result.healthy } });
      }
      return { healthy: result.healthy, checkedAt, details: { integrationId: integration.id, ...result.details } };
    } catch (err) {
      // The provider's rate limit is the caller's to see (429 + Retry-After); anything else is an unhealthy connection.
      if (err instanceof HubError && err.status !== 429) {
        return { healthy: false, checkedAt, details: { integrationId: integration.id, status: integration.status, error: err.message } };
      }
      throw err;
    }
  }

  private async resolve(principal: OrgPrincipal, provider: string, integrationId?: string): Promise<{ adapter: ProviderAdapter; integration: IntegrationEntity }> {
    const adapter = this.registry.get(provider);
    if (integrationId) {
      const integration = await this.integrations.findInOrganization(principal.organizationId, integrationId);
      if (integration.provider !== adapter.provider) throw integrationNotFound();
      return { adapter, integration };
    }
    const [rows] = await this.integrations.listInOrganization(principal.organizationId, { provider: adapter.provider });
    const integration = rows.find((r) => r.status !== IntegrationStatus.Disconnected);
    if (!integration) throw integrationNotConnected(`No ${provider} integration is connected in this workspace`);
    return { adapter, integration };
  }
}
