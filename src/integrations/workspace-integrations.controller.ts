import { ApiUpstream } from '../common/api-upstream.decorator';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { WORKSPACE_CONNECT_BODY, WORKSPACE_CONNECT_BODY_MODELS } from './dto/connect-bodies.dto';
import { Audited } from '../audit/audited.decorator';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import {
  ActionsDto,
  ChecksDto,
  ConnectIntegrationDto,
  ConnectResultDto,
  DisconnectIntegrationDto,
  DisconnectResultDto,
  HealthDto,
  IntegrationSelectorQueryDto,
  RepoListDto,
  RepoQueryDto,
  WorkspaceIntegrationListDto,
} from './dto/workspace-integration.dto';
import { SUPPORTED_PROVIDERS } from './integration.enums';
import { WorkspaceIntegrationsService } from './workspace-integrations.service';

const PROVIDER_PARAM = { name: 'provider', description: `One of: ${SUPPORTED_PROVIDERS.join(', ')}`, example: 'gitlab' };

@ApiTags('workspace integrations')
@ApiExtraModels(...WORKSPACE_CONNECT_BODY_MODELS)
@ApiNotFoundResponse({ description: 'Unknown provider (the message lists the supported ones) or no such integration', type: ErrorBodyDto })
@Controller('integrations')
export class WorkspaceIntegrationsController {
  constructor(private readonly workspace: WorkspaceIntegrationsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the workspace-level integrations of the caller's organization (one entry per connected provider account), TinyOps-shaped.", summary: 'List the integrations of the workspace' })
  @ApiOkResponse({ description: "The workspace's integrations", type: WorkspaceIntegrationListDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  async listWorkspaceIntegrations(@CurrentPrincipal() principal: OrgPrincipal): Promise<WorkspaceIntegrationListDto> {
    return { integrations: await this.workspace.list(principal) };
  }

  @Post(':provider/connect')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: "Connects a provider at workspace level. Providers connected by token or webhook URL have their credentials validated with a live call before anything is stored (sealed); providers connected through a browser flow (GitHub App, OAuth) answer with the authorize URL to open instead. The body's fields depend on the path's `{provider}`. Side effects: an `integration.connected` event and an audit entry.", summary: 'Connect a provider: validates credentials, or answers with the authorize URL' })
  @ApiParam(PROVIDER_PARAM)
  @ApiBody(WORKSPACE_CONNECT_BODY)
  @ApiOkResponse({ description: 'Connected (the integration), or the authorize URL to continue in a browser', type: ConnectResultDto })
  @ApiBadRequestResponse({ description: 'Missing or rejected credentials', type: ErrorBodyDto })
  @ApiUpstream()
  @Audited({ action: 'integration.connect', object: 'integration', fields: ['name', 'projectId', 'integrationId'] })
  connectWorkspaceIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Body() body: ConnectIntegrationDto): Promise<ConnectResultDto> {
    return this.workspace.connect(principal, provider, body);
  }

  @Post(':provider/disconnect')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Disconnects one integration of the provider (`integrationId`) or every one. Every policy that depends on a disconnected integration is disabled with the reason recorded; reconnecting does not re-enable them. Emits `integration.disconnected`.', summary: 'Disconnect one or every integration of a provider; dependent policies are disabled' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ description: 'What was disconnected and which policies were disabled', type: DisconnectResultDto })
  @ApiBadRequestResponse({ description: 'Invalid body', type: ErrorBodyDto })
  @ApiUpstream()
  @Audited({ action: 'integration.disconnect', object: 'integration', fields: ['integrationId'] })
  disconnectWorkspaceIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Body() body: DisconnectIntegrationDto): Promise<DisconnectResultDto> {
    return this.workspace.disconnect(principal, provider, body.integrationId);
  }

  @Get(':provider/checks')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Lists the checks (`branch_protection`, `ci_status`, ...) a provider supports, for use in policies.', summary: 'The checks this provider supports' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ description: "The provider's checks", type: ChecksDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  listProviderChecks(@Param('provider') provider: string): ChecksDto {
    return this.workspace.checks(provider);
  }

  @Get(':provider/actions')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Lists the actions (`label`, `comment`, `notify`, `create_issue`, ...) a provider supports, for use in policies.', summary: 'The actions this provider supports' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ description: "The provider's actions", type: ActionsDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  listProviderActions(@Param('provider') provider: string): ActionsDto {
    return this.workspace.actions(provider);
  }

  @Get(':provider/repos')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the repositories or projects reachable through the provider's integration, paged with `page` and filtered by `search`, read live from the provider.", summary: 'Repositories/projects reachable through the integration (paginated, searchable)' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ description: 'One page of repositories', type: RepoListDto })
  @ApiBadRequestResponse({ description: 'Invalid page, per_page or search', type: ErrorBodyDto })
  @ApiUpstream()
  listProviderRepos(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Query() query: RepoQueryDto): Promise<RepoListDto> {
    return this.workspace.repos(principal, provider, query);
  }

  @Get(':provider/health')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Checks the integration with a cheap authenticated call to the provider (GitHub `GET /app/installations/{id}`, Slack `auth.test`, GitLab `GET /user`, Jira `GET /myself`, ...) and records the outcome on the integration.', summary: 'Checks the connection with a live call to the provider' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ description: 'Whether the provider accepted the credentials, with details', type: HealthDto })
  @ApiBadRequestResponse({ description: 'Invalid integrationId', type: ErrorBodyDto })
  @ApiUpstream()
  checkProviderHealth(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Query() query: IntegrationSelectorQueryDto): Promise<HealthDto> {
    return this.workspace.health(principal, provider, query.integrationId);
  }
}
