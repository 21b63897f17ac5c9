import { ApiUpstream } from '../common/api-upstream.decorator';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { HubError } from '../common/hub-error';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { AuthorizeQueryDto, CallbackQueryDto } from './dto/authorize.dto';
import { IntegrationFlowsService, Redirect, STATE_COOKIE } from './integration-flows.service';

const REDIRECT_RESPONSE = { status: 302, description: 'Redirect', headers: { Location: { schema: { type: 'string' }, description: 'Where to go next' } } };

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiBadRequestResponse({ description: 'Invalid kind, next, state or code', type: PosthogErrorDto })
@Controller()
export class IntegrationFlowsController {
  constructor(private readonly flows: IntegrationFlowsService) {}

  @Get('projects/:project_id/integrations/authorize')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @ApiOperation({
    summary: "Start a provider's browser flow (GitHub App install or OAuth): redirects with a single-use state",
    description:
      'Project members may start it, as upstream (a GET under its strict management permission), since members may add integrations. Upstream refuses personal API keys here ("This action does not support personal API key access": `authorize` is in neither of its scope lists); the hub accepts them, because personal API keys are its only credentials (it has no browser sessions), and asks for `integration:write`.',
  })
  @ApiResponse(REDIRECT_RESPONSE)
  @ApiNotFoundResponse({ description: 'Project not found', type: PosthogErrorDto })
  async authorizeProjectIntegration(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('project_id') _projectId: string,
    @Query() query: AuthorizeQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.flows.beginAuthorize(principal, query.kind, query.next));
  }

  @Get('integrations/:kind/callback')
  @Public('Authenticated by its single-use state')
  @ApiFace('posthog')
  @ApiOperation({ description: "Where the provider sends the browser back after an install or OAuth consent. Checks the single-use `state` minted by `authorize`, exchanges the code (never stored), connects the integration and redirects to the `next` the flow started with. Public: authenticated by its state. Errors follow PostHog's DRF body.", summary: "The provider's redirect back: validates the state, connects, redirects to next" })
  @ApiResponse(REDIRECT_RESPONSE)
  @ApiForbiddenResponse({ description: 'The user cannot access what the provider returned', type: PosthogErrorDto })
  @ApiUpstream()
  async integrationCallback(
    @Param('kind') kind: string,
    @Query() query: CallbackQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const browser = wantsHtml(request.headers.accept);
    try {
      send(reply, await this.flows.completeCallback(kind, { ...query }, readCookie(request.headers.cookie, STATE_COOKIE), browser));
    } catch (err) {
      // Without a usable state there is no `next` to go back to: a browser gets a small page with the reason.
      if (!browser || !(err instanceof HubError) || err.status >= 500) throw err;
      void reply.status(err.status).header('content-type', 'text/html; charset=utf-8').send(errorPage(err.message));
    }
  }
}

/** A browser asks for HTML first; API clients and tests keep the JSON error dialect. */
function wantsHtml(accept: string | undefined): boolean {
  return !!accept && accept.includes('text/html');
}

function errorPage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connection failed</title></head><body><h1>The integration could not be connected</h1><p>${escapeHtml(reason)}</p><p>Go back to the hub and start the connection again.</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function send(reply: FastifyReply, redirect: Redirect): void {
  if (redirect.setCookie) void reply.header('set-cookie', redirect.setCookie);
  void reply.status(302).header('location', redirect.location).send();
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=') || undefined;
  }
  return undefined;
}
