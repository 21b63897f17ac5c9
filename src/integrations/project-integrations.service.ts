import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { UsersService } from '../organizations/users.service';
import type { OrgPrincipal } from '../auth/principal';
import { OrgRole, roleAtLeast } from '../auth/roles';
import { refusingOverwrites } from './overwrite-guard';
import type { CreateProjectIntegrationDto, ListProjectIntegrationsQueryDto, ProjectIntegrationDto, ProjectIntegrationListDto } from './dto/project-integration.dto';
import { toProjectIntegration } from './integration-mappers';
import { IntegrationProvider } from './integration.enums';
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
    private readonly users: UsersService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /**
   * One page, DRF LimitOffsetPagination style: `next`/`previous` are absolute URLs (SITE_URL and the request's own
   * path and query, with `limit` and `offset` replaced and the query sorted, as DRF's replace_query_param does).
   */
  async list(principal: OrgPrincipal, query: ListProjectIntegrationsQueryDto, requestUrl: string): Promise<ProjectIntegrationListDto> {
    const { limit, offset } = query;
    const [rows, count] = await this.integrations.listInOrganization(principal.organizationId, { projectId: principal.projectId, provider: query.kind }, { limit, offset });
    const page = (o: number | null) => {
      const url = new URL(requestUrl, this.config.siteUrl + '/');
      url.searchParams.set('limit', String(limit));
      if (o === null) url.searchParams.delete('offset');
      else url.searchParams.set('offset', String(o));
      url.searchParams.sort();
      return `${this.config.siteUrl}${url.pathname}${url.search}`;
    };
    return {
      count,
      next: offset + limit < count ? page(offset + limit) : null,
      previous: offset <= 0 ? null : page(offset - limit <= 0 ? null : offset - limit),
      results: await this.present(rows),
    };
  }

  /** PostHog's bodies for rows, their creators read in one query. */
  async present(rows: IntegrationEntity[]): Promise<ProjectIntegrationDto[]> {
    const creators = await this.users.summaries(rows.map((r) => r.createdBy));
    // Upstream's installation_shared costs one grouped query per page, as its list does.
    const github = rows.filter((r) => r.provider === IntegrationProvider.Github).map((r) => r.externalAccountId);
    const references = await this.integrations.countByExternalAccounts(IntegrationProvider.Github, github);
    return rows.map((row) => toProjectIntegration(row, row.createdBy ? creators.get(row.createdBy) : undefined, references.get(row.externalAccountId) ?? 1));
  }

  /** Kinds created directly: email domains and the token/webhook providers; OAuth kinds go through `authorize`. */
  /**
   * Any project member may add an integration; overwriting one the project already has (the same account again)
   * takes a project admin, as upstream's IntegrationSerializer.create decides. GitHub is finished from its setup
   * flow's `{installation_id, state, code}`.
   */
  async create(principal: OrgPrincipal, body: CreateProjectIntegrationDto): Promise<ProjectIntegrationDto> {
    const adapter = this.registry.find(body.kind);
    if (!adapter) throw kindNotSupported();
    const ctx = { principal, projectId: this.projectId(principal) };
    const connect = async () => {
      if (adapter.completeSetup) return adapter.completeSetup(ctx, body.config);
      const direct = adapter.acceptsDirectCredentials ? adapter.acceptsDirectCredentials(body.config) : adapter.connectMethod === 'api_token' || adapter.connectMethod === 'domain';
      if (!direct) throw kindRequiresAuthorize(body.kind);
      return adapter.connect(ctx, body.config);
    };
    const result = roleAtLeast(principal.role, OrgRole.Admin) ? await connect() : await refusingOverwrites(connect);
    if (result.kind !== 'connected') throw kindRequiresAuthorize(body.kind);
    return (await this.present([result.integration]))[0];
  }

  async get(principal: OrgPrincipal, id: string): Promise<ProjectIntegrationDto> {
    return (await this.present([await this.find(principal, id)]))[0];
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

  /** One of the project's integrations; 404 ("Not found.") for anything else, other projects' included. */
  async find(principal: OrgPrincipal, id: string): Promise<IntegrationEntity> {
    const row = await this.integrations.findInOrganization(principal.organizationId, id);
    if (row.projectId !== this.projectId(principal)) throw integrationNotFound();
    return row;
  }

  private projectId(principal: OrgPrincipal): string {
    if (!principal.projectId) throw new Error('project route without a resolved project');
    return principal.projectId;
  }
}
