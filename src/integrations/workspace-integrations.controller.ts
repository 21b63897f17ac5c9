import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
@ApiNotFoundResponse({ description: 'Unknown provider (the message lists the supported ones) or no such integration', type: ErrorBodyDto })
@Controller('integrations')
export class WorkspaceIntegrationsController {
  constructor(private readonly workspace: WorkspaceIntegrationsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'listWorkspaceIntegrations', summary: 'List the integrations of the workspace' })
  @ApiOkResponse({ type: WorkspaceIntegrationListDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  async listWorkspaceIntegrations(@CurrentPrincipal() principal: OrgPrincipal): Promise<WorkspaceIntegrationListDto> {
    return { integrations: await this.workspace.list(principal) };
  }

  @Post(':provider/connect')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'connectWorkspaceIntegration', summary: 'Connect a provider: validates credentials, or answers with the authorize URL' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: ConnectResultDto })
  @ApiBadRequestResponse({ description: 'Missing or rejected credentials', type: ErrorBodyDto })
  @Audited({ action: 'integration.connect', object: 'integration', fields: ['name', 'projectId', 'integrationId'] })
  connectWorkspaceIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Body() body: ConnectIntegrationDto): Promise<ConnectResultDto> {
    return this.workspace.connect(principal, provider, body);
  }

  @Post(':provider/disconnect')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'disconnectWorkspaceIntegration', summary: 'Disconnect one or every integration of a provider; dependent policies are disabled' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: DisconnectResultDto })
  @ApiBadRequestResponse({ description: 'Invalid body', type: ErrorBodyDto })
  @Audited({ action: 'integration.disconnect', object: 'integration', fields: ['integrationId'] })
  disconnectWorkspaceIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Body() body: DisconnectIntegrationDto): Promise<DisconnectResultDto> {
    return this.workspace.disconnect(principal, provider, body.integrationId);
  }

  @Get(':provider/checks')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'listProviderChecks', summary: 'The checks this provider supports' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: ChecksDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  listProviderChecks(@Param('provider') provider: string): ChecksDto {
    return this.workspace.checks(provider);
  }

  @Get(':provider/actions')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'listProviderActions', summary: 'The actions this provider supports' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: ActionsDto })
  @ApiBadRequestResponse({ description: 'X-Organization-Id missing or unknown', type: ErrorBodyDto })
  listProviderActions(@Param('provider') provider: string): ActionsDto {
    return this.workspace.actions(provider);
  }

  @Get(':provider/repos')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'listProviderRepos', summary: 'Repositories/projects reachable through the integration (paginated, searchable)' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: RepoListDto })
  @ApiBadRequestResponse({ description: 'Invalid page, per_page or search', type: ErrorBodyDto })
  listProviderRepos(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Query() query: RepoQueryDto): Promise<RepoListDto> {
    return this.workspace.repos(principal, provider, query);
  }

  @Get(':provider/health')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'checkProviderHealth', summary: 'Checks the connection with a live call to the provider' })
  @ApiParam(PROVIDER_PARAM)
  @ApiOkResponse({ type: HealthDto })
  @ApiBadRequestResponse({ description: 'Invalid integrationId', type: ErrorBodyDto })
  checkProviderHealth(@CurrentPrincipal() principal: OrgPrincipal, @Param('provider') provider: string, @Query() query: IntegrationSelectorQueryDto): Promise<HealthDto> {
    return this.workspace.health(principal, provider, query.integrationId);
  }
}
