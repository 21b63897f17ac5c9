import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { GithubBranchesDto, GithubBranchesQueryDto, GithubPickerQueryDto, GithubReposDto, GithubReposRefreshDto, GithubTeamsDto } from './dto/project-github-resources.dto';
import { GithubProjectResourcesService } from './github-project-resources.service';

const ID_PARAM = { name: 'id', description: "The project integration's id (a GitHub integration)", example: '7300112233445566778' };
const RATE_LIMITED = { status: 429, description: 'GitHub is rate-limiting the installation (Retry-After says when to try again)', type: PosthogErrorDto };

/** PostHog's GitHub pickers on one project integration (posthog/api/integration.py IntegrationViewSet actions). */
@ApiTags('project integrations')
@ApiFace('posthog')
@ApiParam({ name: 'project_id', description: 'Project id', format: 'uuid' })
@ApiParam(ID_PARAM)
@ApiNotFoundResponse({ description: 'Project or integration not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations/:id')
export class GithubProjectResourcesController {
  constructor(private readonly resources: GithubProjectResourcesService) {}

  @Get('github_repos')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({
    summary: "A page of the repositories a GitHub integration's installation reaches",
    description:
      "PostHog's `github_repos`: the installation's repositories from the hub's repository cache (filled from GitHub with an installation token when empty or expired), filtered by `search` (case-insensitive, on the full name) and paged with `limit` (1-500, default 100) and `offset`. Project members may call it.",
  })
  @ApiOkResponse({ type: GithubReposDto, description: 'One page, with `has_more` and the matching `total`' })
  @ApiBadRequestResponse({ description: 'Invalid limit or offset, or not a GitHub integration', type: PosthogErrorDto })
  @ApiResponse(RATE_LIMITED)
  listProjectIntegrationGithubRepos(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string, @Query() query: GithubPickerQueryDto): Promise<GithubReposDto> {
    return this.resources.repos(principal, id, query);
  }

  @Post('github_repos/refresh')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({
    summary: "Re-read a GitHub integration's repositories from GitHub",
    description:
      "PostHog's `github_repos/refresh`: replaces the cached repository list with GitHub's. When the installation is uninstalled or suspended it answers the last cached list with `installation_status: unavailable` instead of failing. Project members may call it (upstream's light management permission).",
  })
  @ApiOkResponse({ type: GithubReposRefreshDto, description: 'The refreshed list and whether the installation is usable' })
  @ApiBadRequestResponse({ description: 'Not a GitHub integration, or GitHub refused the refresh', type: PosthogErrorDto })
  @ApiResponse(RATE_LIMITED)
  refreshProjectIntegrationGithubRepos(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string): Promise<GithubReposRefreshDto> {
    return this.resources.refresh(principal, id);
  }

  @Get('github_branches')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({
    summary: 'A page of the branches of one repository the GitHub integration reaches',
    description:
      "PostHog's `github_branches`: `repo` (owner/repo, required) is checked before the integration is looked up; the default branch comes first, `search` filters case-insensitively, `limit` is 1-1000 (default 100). A repository the installation does not reach is 404. Project members may call it.",
  })
  @ApiOkResponse({ type: GithubBranchesDto, description: 'One page of branch names and the default branch' })
  @ApiBadRequestResponse({ description: 'repo missing or not owner/repo, invalid limit or offset, or not a GitHub integration', type: PosthogErrorDto })
  @ApiResponse(RATE_LIMITED)
  listProjectIntegrationGithubBranches(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string, @Query() query: GithubBranchesQueryDto): Promise<GithubBranchesDto> {
    return this.resources.branches(principal, id, query);
  }

  @Get('github_teams')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({
    summary: "A page of the teams of the GitHub integration's organization",
    description:
      "PostHog's `github_teams`: the installation organization's teams (the App needs the `members` permission), filtered by `search` on name or slug, paged with `limit` (1-500, default 100) and `offset`. A GitHub failure is upstream's 400 \"Unable to fetch GitHub teams...\". Project members may call it.",
  })
  @ApiOkResponse({ type: GithubTeamsDto, description: 'One page of teams' })
  @ApiBadRequestResponse({ description: 'Invalid limit or offset, not a GitHub integration, or GitHub refused the list', type: PosthogErrorDto })
  @ApiResponse(RATE_LIMITED)
  listProjectIntegrationGithubTeams(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string, @Query() query: GithubPickerQueryDto): Promise<GithubTeamsDto> {
    return this.resources.teams(principal, id, query);
  }
}
