import { ApiUpstream } from '../common/api-upstream.decorator';
import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBadRequestResponse, ApiBody, ApiExtraModels, ApiCreatedResponse, ApiForbiddenResponse, ApiResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { methodNotAllowed } from '../common/common.errors';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { CreateProjectIntegrationDto, ListProjectIntegrationsQueryDto, ProjectIntegrationDto, ProjectIntegrationListDto } from './dto/project-integration.dto';
import { ProjectIntegrationsService } from './project-integrations.service';
import { PROJECT_INTEGRATION_BODY, PROJECT_INTEGRATION_BODY_MODELS } from './dto/connect-bodies.dto';

const ApiMethodNotAllowedResponse = () => ApiResponse({ status: 405, description: 'Method not allowed (PostHog answers 405 method_not_allowed)', type: PosthogErrorDto });

@ApiTags('project integrations')
@ApiExtraModels(...PROJECT_INTEGRATION_BODY_MODELS)
@ApiFace('posthog')
@ApiParam({ name: 'project_id', description: 'Project id', format: 'uuid' })
@ApiNotFoundResponse({ description: 'Project or integration not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations')
export class ProjectIntegrationsController {
  constructor(private readonly projectIntegrations: ProjectIntegrationsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ description: "Lists the project's integrations oldest first, filtered by `kind`, paged like PostHog with `limit`/`offset` and `{count, next, previous, results}`.", summary: "List the project's integrations (?kind=, limit/offset, oldest first)" })
  @ApiOkResponse({ description: 'One page of integrations, PostHog-shaped', type: ProjectIntegrationListDto })
  @ApiBadRequestResponse({ description: 'Invalid kind, limit or offset', type: PosthogErrorDto })
  listProjectIntegrations(@CurrentPrincipal() principal: OrgPrincipal, @Query() query: ListProjectIntegrationsQueryDto, @Req() request: FastifyRequest): Promise<ProjectIntegrationListDto> {
    return this.projectIntegrations.list(principal, query, request.url);
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({
    summary: 'Create an email-domain, token or webhook integration directly, or finish a GitHub setup',
    description:
      'Email domains, token and webhook kinds are created from their `config`. `kind: "github"` with `config: {installation_id, state, code}` finishes the GitHub setup as upstream does: `state` is the single-use state of this user\'s `authorize?kind=github` for this project, `code` the user OAuth code GitHub returned, and the user\'s GitHub account must see the installation. Any project member may add an integration; re-submitting one the project already has takes a project admin (403 "Editing an existing integration requires project admin access.").',
  })
  @ApiBody(PROJECT_INTEGRATION_BODY)
  @ApiCreatedResponse({ description: 'The integration created, PostHog-shaped', type: ProjectIntegrationDto })
  @ApiBadRequestResponse({ description: 'Unsupported kind, invalid config, rejected credentials, or an invalid GitHub state, code or installation', type: PosthogErrorDto })
  @ApiUpstream()
  @ApiForbiddenResponse({ description: 'The key lacks integration:write, or a member re-submitted an existing integration', type: PosthogErrorDto })
  @Audited({ action: 'integration.connect', object: 'integration', fields: ['kind'], redacted: ['config'] })
  createProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Body() body: CreateProjectIntegrationDto): Promise<ProjectIntegrationDto> {
    return this.projectIntegrations.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ description: 'Returns one integration of the project, PostHog-shaped; secrets never appear.', summary: 'Retrieve one integration of the project' })
  @ApiOkResponse({ description: 'The integration, PostHog-shaped', type: ProjectIntegrationDto })
  @ApiBadRequestResponse({ description: 'Invalid project id', type: PosthogErrorDto })
  getProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string): Promise<ProjectIntegrationDto> {
    return this.projectIntegrations.get(principal, id);
  }

  @Patch(':id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({ description: 'Not offered, as upstream PostHog: integrations change by connecting again. Always 405.', summary: 'Not offered, as upstream: integrations are changed by connecting again' })
  @ApiParam({ name: 'id', description: 'Integration id' })
  @ApiMethodNotAllowedResponse()
  updateProjectIntegration(): never {
    throw methodNotAllowed('PATCH');
  }

  @Put(':id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({ description: 'Not offered, as upstream PostHog: integrations change by connecting again. Always 405.', summary: 'Not offered, as upstream: integrations are changed by connecting again' })
  @ApiParam({ name: 'id', description: 'Integration id' })
  @ApiMethodNotAllowedResponse()
  replaceProjectIntegration(): never {
    throw methodNotAllowed('PUT');
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Deletes an integration of the project and its sealed credentials; refused (400) while enabled policies use it. Emits `integration.disconnected`.', summary: 'Delete an integration; refused while enabled policies use it' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'Enabled policies use it (named in the detail)', type: PosthogErrorDto })
  @Audited({ action: 'integration.delete', object: 'integration' })
  async deleteProjectIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string): Promise<void> {
    await this.projectIntegrations.remove(principal, id);
  }
}
