import { ApiUpstream } from '../common/api-upstream.decorator';
import { RouteConfig } from '@nestjs/platform-fastify';
import { REPEATED_BODY } from '../common/body-parser';
import { applyDecorators, Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { credentialFromAuthorization } from '../auth/api-key.util';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { GithubErrorDto } from '../common/dto/error-body.dto';
import { AccessTokenDto, CreateInstallationAccessTokenDto, GithubInstallationRepositoriesDto, GithubPageQueryDto, InstallationDto } from './dto/broker.dto';
import { LINK_HEADER, withLink } from './github-broker.controller';
import { GithubBrokerService } from './github-broker.service';

/** The GitHub error bodies these routes answer (declared last so they replace the hub's bodies `@Authz` documents). */
const GithubErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({ description: 'Problems parsing JSON', type: GithubErrorDto }),
    ApiUnauthorizedResponse({ description: 'Bad credentials', type: GithubErrorDto }),
    ApiForbiddenResponse({ description: 'The key lacks the scope, or the installation is suspended', type: GithubErrorDto }),
    ApiNotFoundResponse({ description: 'Not Found (also for installations of other organizations)', type: GithubErrorDto }),
    ApiTooManyRequestsResponse({ description: 'Too many failed authentications, or GitHub rate limit (Retry-After)', type: GithubErrorDto }),
  );

/**
 * GitHub's current App routes, brokered, so that an unmodified octokit (`baseUrl: "<hub>/api"`, `auth: "<hub key>"`)
 * works: the installations of the caller's organization, installation tokens, and the lookups `@octokit/app` and
 * `actions/create-github-app-token` make. Errors in GitHub's body.
 */
@ApiTags('github apps')
@ApiFace('github')
@Controller()
export class GithubAppsController {
  constructor(private readonly broker: GithubBrokerService) {}

  @GithubErrors()
  @Get('app/installations')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the GitHub App installations connected to the caller's organization, as `GET /app/installations` answers on GitHub (octokit `apps.listInstallations`), paged with `per_page`/`page` and a `Link` header. Unlike GitHub, it is called with a hub API key rather than an App JWT, and shows only the organization's installations.", summary: "The organization's installations (octokit apps.listInstallations)" })
  @ApiOkResponse({ description: "The installations, in GitHub's installation shape", type: [InstallationDto], headers: LINK_HEADER })
  async githubAppsListInstallations(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: GithubPageQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<InstallationDto[]> {
    return withLink(reply, await this.broker.listInstallations(principal, q.page, q.per_page, 'app'));
  }

  @GithubErrors()
  @Get('app/installations/:installation_id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns one installation of the caller's organization (octokit `apps.getInstallation`). An installation linked to another organization answers 404, as if it did not exist.", summary: 'One installation of the organization (octokit apps.getInstallation)' })
  @ApiOkResponse({ description: "The installation, in GitHub's shape", type: InstallationDto })
  @ApiUpstream()
  githubAppsGetInstallation(@CurrentPrincipal() principal: OrgPrincipal, @Param('installation_id') installationId: string): Promise<InstallationDto> {
    return this.broker.getInstallation(principal, installationId);
  }

  @GithubErrors()
  @Post('app/installations/:installation_id/access_tokens')
  @RouteConfig(REPEATED_BODY)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request' })
  @ApiOperation({ description: 'Mints an installation access token (octokit `apps.createInstallationAccessToken`), or returns a cached one that is still valid for long enough. `repositories`, `repository_ids` and `permissions` narrow it as on GitHub; a narrowed token is never wider than the installation. Side effect: the token is cached (sealed) in Redis or memory until shortly before it expires, never stored in the database.', summary: 'Mint (or reuse a cached) installation token, optionally narrowed (octokit apps.createInstallationAccessToken)' })
  @ApiBody({ type: CreateInstallationAccessTokenDto, required: false })
  @ApiCreatedResponse({ description: 'The installation token, its expiry and what it reaches', type: AccessTokenDto })
  @ApiUnprocessableEntityResponse({ description: 'Validation Failed (unknown permission level, more than 500 repositories), or GitHub refused the narrowing', type: GithubErrorDto })
  @ApiUpstream()
  githubAppsCreateInstallationAccessToken(@CurrentPrincipal() principal: OrgPrincipal, @Param('installation_id') installationId: string, @Body() dto: CreateInstallationAccessTokenDto): AccessTokenDto | Promise<AccessTokenDto> {
    return this.broker.createAccessToken(principal, installationId, dto);
  }

  @GithubErrors()
  @Get('orgs/:org/installation')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns the organization's installation on a GitHub organization account (octokit `apps.getOrgInstallation`). 404 when none of the hub organization's installations is on that account.", summary: "The organization's installation on a GitHub organization (octokit apps.getOrgInstallation)" })
  @ApiOkResponse({ description: "The installation, in GitHub's shape", type: InstallationDto })
  @ApiUpstream()
  githubAppsGetOrgInstallation(@CurrentPrincipal() principal: OrgPrincipal, @Param('org') org: string): Promise<InstallationDto> {
    return this.broker.findInstallation(principal, { org });
  }

  @GithubErrors()
  @Get('repos/:owner/:repo/installation')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns the organization's installation that reaches a repository (octokit `apps.getRepoInstallation`). 404 when none does.", summary: "The organization's installation that reaches a repository (octokit apps.getRepoInstallation)" })
  @ApiOkResponse({ description: "The installation, in GitHub's shape", type: InstallationDto })
  @ApiUpstream()
  githubAppsGetRepoInstallation(@CurrentPrincipal() principal: OrgPrincipal, @Param('owner') owner: string, @Param('repo') repo: string): Promise<InstallationDto> {
    return this.broker.findInstallation(principal, { owner, repo });
  }

  @GithubErrors()
  @Get('users/:username/installation')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns the organization's installation on a GitHub user account (octokit `apps.getUserInstallation`). 404 when none is.", summary: "The organization's installation on a GitHub user account (octokit apps.getUserInstallation)" })
  @ApiOkResponse({ description: "The installation, in GitHub's shape", type: InstallationDto })
  @ApiUpstream()
  githubAppsGetUserInstallation(@CurrentPrincipal() principal: OrgPrincipal, @Param('username') username: string): Promise<InstallationDto> {
    return this.broker.findInstallation(principal, { user: username });
  }

  @GithubErrors()
  @Get('installation/repositories')
  @Public('Authenticated by an installation token this hub minted (`Authorization: token <token>`), as on GitHub; GitHub answers')
  @ApiOperation({ description: 'Lists the repositories an installation token reaches (octokit `apps.listReposAccessibleToInstallation`), passed through from GitHub. Authenticated by an installation token the hub minted (`Authorization: token ghs_...`), not by a hub key, exactly as on GitHub; this is the `repositories_url` of the installations the hub returns.', summary: 'Repositories an installation token reaches (octokit apps.listReposAccessibleToInstallation); the installations’ repositories_url' })
  @ApiOkResponse({ description: 'The repositories the token reaches, as GitHub answers', type: GithubInstallationRepositoriesDto, headers: LINK_HEADER })
  @ApiUpstream()
  async githubAppsListReposAccessibleToInstallation(@Headers('authorization') authorization: string | undefined, @Query() q: GithubPageQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<GithubInstallationRepositoriesDto> {
    return withLink(reply, await this.broker.installationRepositories(credentialFromAuthorization(authorization), q.page, q.per_page));
  }
}
