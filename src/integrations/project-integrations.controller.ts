import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { CreateProjectIntegrationDto, ListProjectIntegrationsQueryDto, ProjectIntegrationDto, ProjectIntegrationListDto } from './dto/project-integration.dto';
import { ProjectIntegrationsService } from './project-integrations.service';

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiParam({ name: 'project_id', description: 'Project id', format: 'uuid' })
@ApiNotFoundResponse({ description: 'Project or integration not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations')
export class ProjectIntegrationsController {
  constructor(private readonly projectIntegrations: ProjectIntegrationsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ operationId: 'listProjectIntegrations', summary: "List the project's integrations (?kind=, limit/offset, oldest first)" })
  @ApiOkResponse({ type: ProjectIntegrationListDto })
  @ApiBadRequestResponse({ description: 'Invalid kind, limit or offset', type: PosthogErrorDto })
  listProjectIntegrations(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('project_id') projectId: string,
    @Query() query: ListProjectIntegrationsQueryDto,
  ): Promise<ProjectIntegrationListDto> {
    return this.projectIntegrations.list(principal, query, `/api/projects/${projectId}/integrations/`);
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'createProjectIntegration', summary: 'Create an email-domain, token or webhook integration directly' })
  @ApiCreatedResponse({ type: ProjectIntegrationDto })
  @ApiBadRequestResponse({ description: 'Unsupported kind, invalid config or rejected credentials', type: PosthogErrorDto })
  createProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Body() body: CreateProjectIntegrationDto): Promise<ProjectIntegrationDto> {
    return this.projectIntegrations.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ operationId: 'getProjectIntegration', summary: 'Retrieve one integration of the project' })
  @ApiOkResponse({ type: ProjectIntegrationDto })
  @ApiBadRequestResponse({ description: 'Invalid project id', type: PosthogErrorDto })
  getProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string): Promise<ProjectIntegrationDto> {
    return this.projectIntegrations.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'deleteProjectIntegration', summary: 'Delete an integration; refused while enabled policies use it' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'Enabled policies use it (named in the detail)', type: PosthogErrorDto })
  async deleteProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string): Promise<void> {
    await this.projectIntegrations.remove(principal, id);
  }
}
