import { applyDecorators, Controller, Delete, Get, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authz } from '../auth/authz.decorator';
import type { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { STREAMED_BODY } from '../common/body-parser';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { ProxyService } from './proxy.service';

/** A path beneath the provider base. */
const ROUTE = ':integration_id/*';
/** The provider base itself (a Discord webhook's execute URL); a route of its own, as the router drops a trailing slash. */
const BASE = ':integration_id';

const DESCRIPTION = `Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
credential attached the way the provider wants it. \`path\` and the query string are appended to the provider base:
absolute URLs, \`.\`/\`..\` and empty segments and backslashes are refused (400). Method, safe headers and the body are
forwarded as a stream; the provider's status, headers (\`Link\`, \`ETag\`, \`X-RateLimit-*\`, ...) and body come back
unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a \`Location\` beneath the
provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
one retry; 429 and 5xx are retried as \`X-Hub-Retries\` allows, honouring \`Retry-After\` up to
\`PROXY_MAX_RETRY_WAIT_SECONDS\`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.`;

const RETRIES = { name: 'X-Hub-Retries', required: false, description: 'Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH' };
const GITHUB_REPOSITORIES = { name: 'X-Hub-Github-Repositories', required: false, description: 'GitHub only: narrow the installation token to these repositories (comma-separated names)' };
const GITHUB_PERMISSIONS = { name: 'X-Hub-Github-Permissions', required: false, description: 'GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`)' };

function ProxyRoute(summary: string, scope: ApiScope, withPath = true): MethodDecorator {
  const path = withPath ? [ApiParam({ name: 'path', description: 'Path beneath the provider API base, e.g. `repos/acme/api/issues`', schema: { type: 'string' } })] : [];
  return applyDecorators(
    RouteConfig(STREAMED_BODY),
    Authz({ scope, org: 'request' }),
    ApiOperation({ summary, description: DESCRIPTION }),
    ApiParam({ name: 'integration_id', description: 'The integration (snowflake id)', schema: { type: 'string', pattern: '^[0-9]{1,20}$' } }),
    ...path,
    ApiHeader(RETRIES),
    ApiHeader(GITHUB_REPOSITORIES),
    ApiHeader(GITHUB_PERMISSIONS),
    ApiResponse({ status: 'default', description: "The provider's response, streamed back unchanged (status, body and provider headers)" }),
    ApiBadRequestResponse({ description: 'Refused path or invalid X-Hub-* header, or a provider without an API', type: ErrorBodyDto }),
    ApiNotFoundResponse({ description: "No such integration in the caller's organization", type: ErrorBodyDto }),
    ApiConflictResponse({ description: 'The integration is disconnected or in error (reconnect it)', type: ErrorBodyDto }),
    ApiBadGatewayResponse({ description: 'The provider could not be reached, or its address is refused by the outbound guard', type: ErrorBodyDto }),
    ApiGatewayTimeoutResponse({ description: 'The provider did not answer within PROXY_TIMEOUT_SECONDS', type: ErrorBodyDto }),
  );
}

/** The provider proxy: internal services call provider APIs through the hub, which holds and attaches the credential. */
@ApiTags('provider proxy')
@Controller('proxy')
export class ProxyController {
  constructor(private readonly proxy: ProxyService) {}

  @Get(ROUTE)
  @ProxyRoute('GET (and HEAD) on the provider API through the hub', ApiScope.IntegrationRead)
  proxyGet(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Get(BASE)
  @ProxyRoute('GET (and HEAD) on the provider API base itself through the hub', ApiScope.IntegrationRead, false)
  proxyGetBase(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Post(ROUTE)
  @ProxyRoute('POST on the provider API through the hub', ApiScope.IntegrationWrite)
  proxyPost(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Post(BASE)
  @ProxyRoute('POST on the provider API base itself through the hub', ApiScope.IntegrationWrite, false)
  proxyPostBase(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Put(ROUTE)
  @ProxyRoute('PUT on the provider API through the hub', ApiScope.IntegrationWrite)
  proxyPut(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Put(BASE)
  @ProxyRoute('PUT on the provider API base itself through the hub', ApiScope.IntegrationWrite, false)
  proxyPutBase(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Patch(ROUTE)
  @ProxyRoute('PATCH on the provider API through the hub', ApiScope.IntegrationWrite)
  proxyPatch(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Patch(BASE)
  @ProxyRoute('PATCH on the provider API base itself through the hub', ApiScope.IntegrationWrite, false)
  proxyPatchBase(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Delete(ROUTE)
  @ProxyRoute('DELETE on the provider API through the hub', ApiScope.IntegrationWrite)
  proxyDelete(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  @Delete(BASE)
  @ProxyRoute('DELETE on the provider API base itself through the hub', ApiScope.IntegrationWrite, false)
  proxyDeleteBase(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.relay(principal, id, request, reply);
  }

  private async relay(principal: OrgPrincipal, id: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const res = await this.proxy.forward(principal, id, { method: request.method, rawUrl: request.raw.url ?? request.url, headers: request.headers, body: request.raw, requestId: String(request.id) });
    return reply.code(res.status).headers(res.headers).send(res.body);
  }
}
