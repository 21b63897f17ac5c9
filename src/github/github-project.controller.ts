import { Audited } from '../audit/audited.decorator';
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
  @ApiOperation({ operationId: 'linkExistingGithubInstallation', summary: 'Reuse a GitHub installation already linked to a sibling project of the same organization' })
  @ApiOkResponse({ type: ProjectIntegrationDto })
  @Audited({ action: 'integration.connect', object: 'integration', fields: ['installation_id', 'source_team_id'] })
  linkExistingGithubInstallation(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: LinkExistingDto): Promise<ProjectIntegrationDto> {
    return this.projectLinks.linkExisting(principal, dto);
  }

  @Post('oauth_authorize')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({ operationId: 'githubOauthAuthorize', summary: 'Mint a user OAuth URL to bootstrap a fresh code when the install flow returns without one' })
  @ApiOkResponse({ type: OauthAuthorizeResponseDto })
  githubOauthAuthorize(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string, @Body() dto: OauthAuthorizeDto): Promise<OauthAuthorizeResponseDto> {
    return this.projectLinks.oauthAuthorize(principal, dto);
  }

  @Get('available_installations')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ operationId: 'listAvailableGithubInstallations', summary: 'Installations of sibling projects the caller could link' })
  @ApiOkResponse({ type: AvailableInstallationsDto })
  async listAvailableGithubInstallations(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('project_id') _projectId: string): Promise<AvailableInstallationsDto> {
    return { results: await this.projectLinks.available(principal) };
  }
}
