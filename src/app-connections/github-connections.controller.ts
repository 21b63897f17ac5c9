import { ApiUpstream } from '../common/api-upstream.decorator';
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequestId } from '../audit/request-id.decorator';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { InfisicalErrorDto, InfisicalValidationErrorDto } from '../common/dto/error-body.dto';
import { AppConnectionApp } from './app-connection.enums';
import { invalidIfMatch } from './app-connections.errors';
import { AppConnectionUsageService } from './app-connection-usage.service';
import { AppConnectionsService } from './app-connections.service';
import { AppConnectionListDto, AppConnectionResponseDto, AvailableAppConnectionListDto } from './dto/app-connection.dto';
import { ConnectionAccessTokenDto, ConnectionRepositoriesDto, CreateConnectionAccessTokenDto } from './dto/connection-usage.dto';
import { ConnectionIdParamDto, ConnectionNameParamDto, CreateGithubConnectionDto, ProjectFilterQueryDto, UpdateGithubConnectionDto } from './dto/github-connection-input.dto';

const NOT_FOUND = 'Could not find App Connection with ID …';

/** `If-Match: "3"` (or `3`, `W/"3"`): the version the client read. */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) throw invalidIfMatch();
  return version;
}
const INSTALLATION_UNUSABLE = 'The hub knows the installation is suspended or uninstalled: no token is minted';

/** Infisical's GitHub app connections API. */
@ApiTags('app connections')
@ApiFace('infisical')
@ApiUnprocessableEntityResponse({ description: 'ValidationFailure: the body, query or path does not match the schema (zod issues)', type: InfisicalValidationErrorDto })
@Controller('v1/app-connections/github')
export class GithubConnectionsController {
  constructor(
    private readonly connections: AppConnectionsService,
    private readonly usage: AppConnectionUsageService,
  ) {}

  @Post()
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Creates a GitHub Connection from a GitHub App installation (`github-app`: the setup code and installation id) or a user OAuth code (`oauth`). The code is exchanged once and never kept; the resulting credential is stored sealed. Infisical answers 200, not 201, and so does the hub. Audited.', summary: 'Create a GitHub Connection from a GitHub App installation and OAuth code' })
  @ApiOkResponse({ description: 'The connection created, credentials redacted', type: AppConnectionResponseDto })
  @ApiBadRequestResponse({ description: 'Duplicate name, platform-managed credentials, refused host, invalid code', type: InfisicalErrorDto })
  @ApiForbiddenResponse({ description: 'User does not have access to the provided installation', type: InfisicalErrorDto })
  @ApiNotFoundResponse({ description: 'Unknown project or gateway', type: InfisicalErrorDto })
  @ApiUpstream()
  async createGithubAppConnection(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: CreateGithubConnectionDto, @RequestId() requestId: string): Promise<AppConnectionResponseDto> {
    return { appConnection: await this.connections.create(principal, dto, requestId) };
  }

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the organization's GitHub Connections, optionally one project's (`projectId`), with redacted credentials.", summary: "The organization's GitHub Connections (optionally one project's)" })
  @ApiOkResponse({ description: 'The GitHub Connections', type: AppConnectionListDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: InfisicalErrorDto })
  async listGithubAppConnections(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: ProjectFilterQueryDto): Promise<AppConnectionListDto> {
    return { appConnections: await this.connections.list(principal, AppConnectionApp.Github, q.projectId) };
  }

  @Get('available')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the GitHub Connections a member may use: the organization's, and the project's when `projectId` names one; no credentials.", summary: "The GitHub Connections a member may use: the organization's, and a project's when projectId names one" })
  @ApiOkResponse({ description: 'The usable connections', type: AvailableAppConnectionListDto })
  @ApiBadRequestResponse({ description: 'Could not find project with ID …', type: InfisicalErrorDto })
  async listAvailableGithubAppConnections(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: ProjectFilterQueryDto): Promise<AvailableAppConnectionListDto> {
    return { appConnections: await this.connections.available(principal, AppConnectionApp.Github, q.projectId) };
  }

  @Get('connection-name/:connectionName')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Returns a GitHub Connection by name: organization-level, or the project's when `projectId` is given.", summary: 'A GitHub Connection by name (organization-level, or in projectId)' })
  @ApiOkResponse({ description: 'The connection, credentials redacted', type: AppConnectionResponseDto })
  @ApiNotFoundResponse({ description: 'Could not find App Connection with name …', type: InfisicalErrorDto })
  async getGithubAppConnectionByName(@CurrentPrincipal() principal: OrgPrincipal, @Param() p: ConnectionNameParamDto, @Query() q: ProjectFilterQueryDto): Promise<AppConnectionResponseDto> {
    return { appConnection: await this.connections.getByName(principal, p.connectionName, q.projectId) };
  }

  @Get(':connectionId')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Returns a GitHub Connection by id; connections of other organizations answer 404.', summary: 'A GitHub Connection by id' })
  @ApiOkResponse({ description: 'The connection, credentials redacted', type: AppConnectionResponseDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: InfisicalErrorDto })
  async getGithubAppConnection(@CurrentPrincipal() principal: OrgPrincipal, @Param() p: ConnectionIdParamDto): Promise<AppConnectionResponseDto> {
    return { appConnection: await this.connections.get(principal, p.connectionId) };
  }

  @Patch(':connectionId')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Renames, describes, moves to a gateway or replaces the credentials of a GitHub Connection. Concurrent updates are compare-and-swapped on `version` (409 when it moved). Audited.', summary: 'Rename, describe, move to a gateway or replace the credentials of a GitHub Connection' })
  @ApiOkResponse({ description: 'The connection after the change', type: AppConnectionResponseDto })
  @ApiBadRequestResponse({ description: 'Duplicate name, refused host, invalid code', type: InfisicalErrorDto })
  @ApiNotFoundResponse({ description: `${NOT_FOUND}, or unknown gateway`, type: InfisicalErrorDto })
  @ApiConflictResponse({ description: 'The connection is no longer at the expected version (a concurrent update won); read it again and retry', type: InfisicalErrorDto })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version the update applies to, e.g. "3" (same as `version` in the body)' })
  @ApiUpstream()
  async updateGithubAppConnection(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param() p: ConnectionIdParamDto,
    @Body() dto: UpdateGithubConnectionDto,
    @RequestId() requestId: string,
    @Headers('if-match') ifMatch?: string,
  ): Promise<AppConnectionResponseDto> {
    return { appConnection: await this.connections.update(principal, p.connectionId, dto, requestId, parseIfMatch(ifMatch)) };
  }

  @Delete(':connectionId')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Deletes a GitHub Connection that no integration references (400 otherwise) and answers with it, as Infisical does. Audited.', summary: 'Delete a GitHub Connection no integration references' })
  @ApiOkResponse({ description: 'The deleted connection', type: AppConnectionResponseDto })
  @ApiBadRequestResponse({ description: 'Integrations reference the connection (named in the message)', type: InfisicalErrorDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: InfisicalErrorDto })
  async deleteGithubAppConnection(@CurrentPrincipal() principal: OrgPrincipal, @Param() p: ConnectionIdParamDto, @RequestId() requestId: string): Promise<AppConnectionResponseDto> {
    return { appConnection: await this.connections.remove(principal, p.connectionId, requestId) };
  }

  @Post(':connectionId/access-token')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request' })
  @ApiOperation({ description: "Mints an installation token for the connection's installation, or returns a cached one, optionally narrowed to repositories and permissions like the broker's.", summary: "Mint (or reuse a cached) installation token for the connection's installation, optionally narrowed" })
  @ApiOkResponse({ description: 'The installation token', type: ConnectionAccessTokenDto })
  @ApiNotFoundResponse({ description: `${NOT_FOUND}, or the installation no longer exists`, type: InfisicalErrorDto })
  @ApiForbiddenResponse({ description: INSTALLATION_UNUSABLE, type: InfisicalErrorDto })
  @ApiTooManyRequestsResponse({ description: 'GitHub API rate limit exceeded (Retry-After)', type: InfisicalErrorDto })
  @ApiUpstream()
  createGithubAppConnectionAccessToken(@CurrentPrincipal() principal: OrgPrincipal, @Param() p: ConnectionIdParamDto, @Body() dto: CreateConnectionAccessTokenDto, @RequestId() requestId: string): Promise<ConnectionAccessTokenDto> {
    return this.usage.mintToken(principal, p.connectionId, dto, requestId);
  }

  @Get(':connectionId/repositories')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the repositories the connection's installation reaches, read from GitHub.", summary: "Repositories the connection's installation reaches" })
  @ApiOkResponse({ description: 'The repositories', type: ConnectionRepositoriesDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: InfisicalErrorDto })
  @ApiForbiddenResponse({ description: INSTALLATION_UNUSABLE, type: InfisicalErrorDto })
  @ApiUpstream()
  listGithubAppConnectionRepositories(@CurrentPrincipal() principal: OrgPrincipal, @Param() p: ConnectionIdParamDto): Promise<ConnectionRepositoriesDto> {
    return this.usage.listRepositories(principal, p.connectionId);
  }
}
