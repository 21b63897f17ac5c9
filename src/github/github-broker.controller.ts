import { ApiUpstream } from '../common/api-upstream.decorator';
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
  @ApiOperation({ summary: "The organization's GitHub App installations (GitHub-shaped, paginated)" })
  @ApiOkResponse({ type: [InstallationDto], headers: LINK_HEADER })
  async listGithubInstallations(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: ListInstallationsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<InstallationDto[]> {
    return withLink(reply, await this.broker.listInstallations(principal, q.page ?? 1, q.per_page ?? 30, 'preview'));
  }

  @Post('installations/:installation_id/access_tokens')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request' })
  @ApiOperation({ summary: 'Mint (or reuse a cached) installation access token, optionally narrowed' })
  @ApiCreatedResponse({ type: AccessTokenDto })
  @ApiUnprocessableEntityResponse({ description: 'More than 500 repositories, or GitHub refused the narrowing', type: GithubPreviewErrorDto })
  @ApiTooManyRequestsResponse({ description: 'GitHub API rate limit exceeded (Retry-After)', type: GithubPreviewErrorDto })
  @ApiUpstream()
  createGithubInstallationToken(@CurrentPrincipal() principal: OrgPrincipal, @Param('installation_id') installationId: string, @Body() dto: CreateAccessTokenDto): Promise<AccessTokenDto> {
    return this.broker.createAccessToken(principal, installationId, dto);
  }

  @Post('integration/identity/user')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ summary: "The caller's linked GitHub user" })
  @ApiOkResponse({ type: IdentityDto })
  @ApiUpstream()
  getGithubUserIdentity(@CurrentPrincipal() principal: OrgPrincipal, @Body() _dto: IdentityRequestDto): Promise<IdentityDto> {
    return this.broker.identity(principal);
  }

  @Get('installations/:installation_id/repositories')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ summary: 'Repositories an installation can reach (cached, paginated)' })
  @ApiOkResponse({ type: InstallationRepositoriesDto, headers: LINK_HEADER })
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
