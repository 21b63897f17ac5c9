import { Injectable } from '@nestjs/common';
import type { OrgPrincipal } from '../auth/principal';
import type { CreateProjectIntegrationDto, ListProjectIntegrationsQueryDto, ProjectIntegrationDto, ProjectIntegrationListDto } from './dto/project-integration.dto';
import { toProjectIntegration } from './integration-mappers';
import type { IntegrationEntity } from './integration.entity';
import { IntegrationsService } from './integrations.service';
import { PoliciesService } from './policies.service';
import { ProviderRegistry } from './providers/provider-registry.service';
import { integrationInUse, integrationNotFound, kindNotSupported, kindRequiresAuthorize } from './integrations.errors';

/** PostHog's project integrations face: integrations scoped to `:project_id`. */
@Injectable()
export class ProjectIntegrationsService {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly registry: ProviderRegistry,
    private readonly policies: PoliciesService,
  ) {}

  async list(principal: OrgPrincipal, query: ListProjectIntegrationsQueryDto, basePath: string): Promise<ProjectIntegrationListDto> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const [rows, count] = await this.integrations.listInOrganization(principal.organizationId, { projectId: principal.projectId, provider: query.kind }, { limit, offset });
    const link = (o: number) => `${basePath}?${new URLSearchParams({ ...(query.kind ? { kind: query.kind } : {}), limit: String(limit), offset: String(o) })}`;
    return {
      count,
      next: offset + limit < count ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: rows.map(toProjectIntegration),
    };
  }

  /** Kinds created directly: email domains and the token/webhook providers; OAuth kinds go through `authorize`. */
  async create(principal: OrgPrincipal, body: CreateProjectIntegrationDto): Promise<ProjectIntegrationDto> {
    const adapter = this.registry.find(body.kind);
    if (!adapter) throw kindNotSupported();
    const direct = adapter.acceptsDirectCredentials ? adapter.acceptsDirectCredentials(body.config) : adapter.connectMethod === 'api_token' || adapter.connectMethod === 'domain';
    if (!direct) throw kindRequiresAuthorize(body.kind);
    const result = await adapter.connect({ principal, projectId: this.projectId(principal) }, body.config);
    if (result.kind !== 'connected') throw kindRequiresAuthorize(body.kind);
    return toProjectIntegration(result.integration);
  }

  async get(principal: OrgPrincipal, id: string): Promise<ProjectIntegrationDto> {
    return toProjectIntegration(await this.find(principal, id));
  }

  async remove(principal: OrgPrincipal, id: string): Promise<void> {
    const row = await this.find(principal, id);
    const using = await this.policies.enabledUsing(row.id);
    if (using.length > 0) {
      throw integrationInUse(using.map((p) => ({ id: p.id, name: p.name })));
    }
    await this.integrations.remove(row);
    // After removal, so the adapter sees whether anything else still uses what it releases.
    await this.registry.find(row.provider)?.disconnect?.(row);
  }

  private async find(principal: OrgPrincipal, id: string): Promise<IntegrationEntity> {
    const row = await this.integrations.findInOrganization(principal.organizationId, id);
    if (row.projectId !== this.projectId(principal)) throw integrationNotFound();
    return row;
  }

  private projectId(principal: OrgPrincipal): string {
    if (!principal.projectId) throw new Error('project route without a resolved project');
    return principal.projectId;
  }
}
