import { ApiUpstream } from '../common/api-upstream.decorator';
import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { ProjectIntegrationDto } from '../integrations/dto/project-integration.dto';
import { AvailableInstallationsDto, LinkExistingDto, OauthAuthorizeDto, OauthAuthorizeResponseDto } from './dto/project-github.dto';
import { GithubPrepareCallbackDto } from './dto/project-github-resources.dto';
import { GithubProjectLinksService } from './github-project-links.service';
import { GithubProjectResourcesService } from './github-project-resources.service';
import { UuidParam } from '../common/params';

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiBadRequestResponse({ description: 'Invalid request, or no single installation to link', type: PosthogErrorDto })
@ApiNotFoundResponse({ description: 'Project or source team not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations/github')
export class GithubProjectController {
  constructor(
    private readonly projectLinks: GithubProjectLinksService,
    private readonly resources: GithubProjectResourcesService,
  ) {}

  @Post('link_existing')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({
    summary: 'Reuse a GitHub installation already linked to a sibling project of the same organization',
    description:
      'Give `source_team_id` (a sibling project of the organization, by its uuid) or `installation_id`; an empty body is 400 "source_team_id or installation_id is required". Project members may call it (as upstream), but a member who is not a project admin must first link a personal GitHub account that sees the installation (400 `github_link_existing_personal_github_required`).',
  })
  @ApiOkResponse({ description: 'The integration created for this project', type: ProjectIntegrationDto })
  @ApiUpstream()
  @Audited({ action: 'integration.connect', object: 'integration', fields: ['installation_id', 'source_team_id'] })
  linkExistingGithubInstallation(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: LinkExistingDto): Promise<ProjectIntegrationDto> {
    return this.projectLinks.linkExisting(principal, dto);
  }

  @Post('oauth_authorize')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({
    summary: 'Mint a user OAuth URL to bootstrap a fresh code when the install flow returns without one',
    description:
      'As upstream, the body is read leniently: `installation_id` (text or number) is required, `next` must be relative, `connect_from` is kept with the state only when it is `posthog_code`. Project members may call it.',
  })
  @ApiOkResponse({ description: 'The OAuth URL to open', type: OauthAuthorizeResponseDto })
  githubOauthAuthorize(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: OauthAuthorizeDto): Promise<OauthAuthorizeResponseDto> {
    return this.projectLinks.oauthAuthorize(principal, dto);
  }

  @Get('available_installations')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ description: 'Lists the GitHub installations of sibling projects (same organization) that the caller could link to this project with `link_existing`.', summary: 'Installations of sibling projects the caller could link' })
  @ApiOkResponse({ description: 'The installations that can be linked', type: AvailableInstallationsDto })
  async listAvailableGithubInstallations(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string): Promise<AvailableInstallationsDto> {
    return { results: await this.projectLinks.available(principal) };
  }

  @Post('prepare_callback')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({
    summary: 'Seed the state of a GitHub setup callback without redirecting to GitHub',
    description:
      "PostHog's `github/prepare_callback`: before the user manages an existing installation on github.com, issues the single-use state its setup callback is checked against, bound to the user, this project, `next` (relative) and `installation_id` (when given). Project admins only (upstream's strict management permission refuses members with \"You don't have sufficient permissions in the project.\").",
  })
  @ApiNoContentResponse({ description: 'State issued' })
  @ApiForbiddenResponse({ description: 'Not a project admin, or the key lacks integration:write', type: PosthogErrorDto })
  async prepareGithubCallback(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: GithubPrepareCallbackDto): Promise<void> {
    await this.resources.prepareCallback(principal, dto);
  }
}
