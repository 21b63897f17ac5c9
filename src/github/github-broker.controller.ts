import { ApiUpstream } from '../common/api-upstream.decorator';
import { RouteConfig } from '@nestjs/platform-fastify';
import { REPEATED_BODY } from '../common/body-parser';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { GithubPreviewErrorDto } from '../common/dto/error-body.dto';
import { AccessTokenDto, CreateAccessTokenDto, IdentityDto, IdentityRequestDto, InstallationDto, InstallationRepositoriesDto, ListInstallationsQueryDto } from './dto/broker.dto';
import { GithubBrokerService, WithLink } from './github-broker.service';
import { InstallationIdParam } from './installation-id';

export const LINK_HEADER = { Link: { description: 'RFC 8288 pagination links (next, prev, first, last)', schema: { type: 'string' } } };

/**
 * GitHub's 2016 Integrations preview API (the seed's routes), brokered: internal services get installation tokens
 * without the app key. GitHub's current App routes are in github-apps.controller.ts.
 */
@ApiTags('github broker')
@ApiFace('github-preview')
@ApiHeader({ name: 'Accept', required: false, description: 'application/vnd.github.machine-man-preview+json is accepted' })
@ApiNotFoundResponse({ description: 'Installation or linked GitHub user not found in this organization', type: GithubPreviewErrorDto })
@ApiBadRequestResponse({ description: 'Invalid request', type: GithubPreviewErrorDto })
@Controller()
export class GithubBrokerController {
  constructor(private readonly broker: GithubBrokerService) {}

  @Get('integration/installations')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the GitHub App installations of the caller's organization on GitHub's 2016 Integrations preview path, GitHub-shaped and paged with `per_page`/`page` and a `Link` header.", summary: "The organization's GitHub App installations (GitHub-shaped, paginated)" })
  @ApiOkResponse({ description: "The installations, in GitHub's shape", type: [InstallationDto], headers: LINK_HEADER })
  async listGithubInstallations(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: ListInstallationsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<InstallationDto[]> {
    return withLink(reply, await this.broker.listInstallations(principal, q.page ?? 1, q.per_page ?? 30, 'preview'));
  }

  @Post('installations/:installation_id/access_tokens')
  @RouteConfig(REPEATED_BODY)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request' })
  @ApiOperation({ description: "Mints an installation access token for an installation of the caller's organization, or returns a cached one that is still valid long enough, on GitHub's 2016 preview path. `repositories`/`repository_ids` and `permissions` narrow it. Errors carry GitHub's `{message, documentation_url}` beside the hub's fields. The token is cached sealed, never written to the database.", summary: 'Mint (or reuse a cached) installation access token, optionally narrowed' })
  @ApiCreatedResponse({ description: 'The installation token, its expiry and what it reaches', type: AccessTokenDto })
  @ApiUnprocessableEntityResponse({ description: 'More than 500 repositories, or GitHub refused the narrowing', type: GithubPreviewErrorDto })
  @ApiTooManyRequestsResponse({ description: 'GitHub API rate limit exceeded (Retry-After)', type: GithubPreviewErrorDto })
  @ApiUpstream()
  createGithubInstallationToken(@CurrentPrincipal() principal: OrgPrincipal, @Param('installation_id') installationId: string, @Body() dto: CreateAccessTokenDto): AccessTokenDto | Promise<AccessTokenDto> {
    return this.broker.createAccessToken(principal, installationId, dto);
  }

  @Post('integration/identity/user')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns the GitHub user linked to the calling hub user (through a GitHub OAuth authorization) on GitHub's 2016 preview path. `nonce` is echoed for the caller's replay protection. 404 when the user has no linked GitHub account.", summary: "The caller's linked GitHub user" })
  @ApiOkResponse({ description: 'The linked GitHub user', type: IdentityDto })
  @ApiUpstream()
  getGithubUserIdentity(@CurrentPrincipal() principal: OrgPrincipal, @Body() _dto: IdentityRequestDto): Promise<IdentityDto> {
    return this.broker.identity(principal);
  }

  @Get('installations/:installation_id/repositories')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the repositories an installation of the caller's organization can reach, paged GitHub-style (`per_page`, `page`, `Link`). Answers from a short-lived cache, refreshed from GitHub when stale.", summary: 'Repositories an installation can reach (cached, paginated)' })
  @ApiOkResponse({ description: 'The repositories and their total count', type: InstallationRepositoriesDto, headers: LINK_HEADER })
  @ApiUpstream()
  async listGithubInstallationRepositories(
    @CurrentPrincipal() principal: OrgPrincipal,
    @InstallationIdParam() installationId: string,
    @Query() q: ListInstallationsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InstallationRepositoriesDto> {
    return withLink(reply, await this.broker.repositoriesOf(principal, installationId, q.page, q.per_page));
  }
}

export function withLink<T>(reply: FastifyReply, page: WithLink<T>): T {
  if (page.link) void reply.header('link', page.link);
  return page.body;
}
