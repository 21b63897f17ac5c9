import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateProjectDto, ProjectDto, ProjectPageDto, UpdateProjectDto } from './dto/project.dto';
import { ProjectsService } from './projects.service';
import { UuidParam } from '../common/params';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('projects')
@ApiNotFoundResponse({ description: 'Not found, or not visible to the caller', type: ErrorBodyDto })
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller()
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get('organizations/:org_id/projects')
  @Authz({ scope: ApiScope.ProjectRead, org: 'org_param', role: OrgRole.Member })
  @ApiOperation({ description: "Lists the organization's projects; every member sees them.", summary: "List an organization's projects" })
  @ApiOkResponse({ description: 'One page of projects', type: ProjectPageDto })
  async listProjects(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<ProjectPageDto> {
    return pageOf(await this.projects.list(principal), q, at);
  }

  @Post('organizations/:org_id/projects')
  @Authz({ scope: ApiScope.ProjectWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Creates a project in the organization.', summary: 'Create a project' })
  @ApiCreatedResponse({ description: 'The project created', type: ProjectDto })
  createProject(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @Body() dto: CreateProjectDto,
  ): Promise<ProjectDto> {
    return this.projects.create(principal, dto);
  }

  @Get('projects/:project_id')
  @Authz({ scope: ApiScope.ProjectRead, org: 'project_param', role: OrgRole.Member })
  @ApiOperation({ description: 'Returns one project; any member of its organization may read it, anyone else gets 404.', summary: 'Get a project' })
  @ApiOkResponse({ description: 'The project', type: ProjectDto })
  getProject(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') projectId: string): Promise<ProjectDto> {
    return this.projects.get(principal, projectId);
  }

  @Patch('projects/:project_id')
  @Authz({ scope: ApiScope.ProjectWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Renames a project.', summary: 'Rename a project' })
  @ApiOkResponse({ description: 'The project after the change', type: ProjectDto })
  updateProject(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('project_id') projectId: string,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectDto> {
    return this.projects.update(principal, projectId, dto);
  }

  @Delete('projects/:project_id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.ProjectWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Deletes a project and everything that belongs to it (its integrations, their policies and access requests).', summary: 'Delete a project and everything that belongs to it' })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteProject(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') projectId: string): Promise<void> {
    return this.projects.remove(principal, projectId);
  }
}
