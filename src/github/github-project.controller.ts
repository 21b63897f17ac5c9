import { ApiUpstream } from '../common/api-upstream.decorator';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { ProjectIntegrationDto } from '../integrations/dto/project-integration.dto';
import { AvailableInstallationsDto, LinkExistingDto, OauthAuthorizeDto, OauthAuthorizeResponseDto } from './dto/project-github.dto';
import { GithubProjectLinksService } from './github-project-links.service';
import { UuidParam } from '../common/params';

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiBadRequestResponse({ description: 'Invalid request, or no single installation to link', type: PosthogErrorDto })
@ApiNotFoundResponse({ description: 'Project or source team not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations/github')
export class GithubProjectController {
  constructor(private readonly projectLinks: GithubProjectLinksService) {}

  @Post('link_existing')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({ description: 'Links a GitHub installation already connected to a sibling project of the same organization to this project, without a new install flow. Refused when the installation belongs to another organization.', summary: 'Reuse a GitHub installation already linked to a sibling project of the same organization' })
  @ApiOkResponse({ description: 'The integration created for this project', type: ProjectIntegrationDto })
  @ApiUpstream()
  linkExistingGithubInstallation(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: LinkExistingDto): Promise<ProjectIntegrationDto> {
    return this.projectLinks.linkExisting(principal, dto);
  }

  @Post('oauth_authorize')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({ description: "Mints a user OAuth URL for the hub's GitHub App, to obtain a fresh code when the install flow came back without one (GitHub omits it when the App was already installed).", summary: 'Mint a user OAuth URL to bootstrap a fresh code when the install flow returns without one' })
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
}
