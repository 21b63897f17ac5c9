import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { AcceptedInviteDto, AcceptInviteDto, CreatedInviteDto, CreateInviteDto, InvitePageDto } from './dto/invite.dto';
import { InvitesService } from './invites.service';
import { UuidParam } from '../common/params';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('invites')
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller()
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Post('organizations/:org_id/invites')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Invites someone by email with a role. Returns a one-time token valid for 7 days, also emailed when SMTP is configured. Only owners may invite owners.', summary: 'Invite someone by email; returns a one-time token' })
  @ApiCreatedResponse({ description: 'The invite and its one-time token (shown only here)', type: CreatedInviteDto })
  @ApiNotFoundResponse({ description: 'Organization not found', type: ErrorBodyDto })
  createInvite(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @Body() dto: CreateInviteDto,
  ): Promise<CreatedInviteDto> {
    return this.invites.create(principal, dto);
  }

  @Get('organizations/:org_id/invites')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Lists the organization's invites, pending and accepted. Tokens are shown only when an invite is created.", summary: "List an organization's invites (tokens are never shown again)" })
  @ApiOkResponse({ description: 'One page of invites', type: InvitePageDto })
  @ApiNotFoundResponse({ description: 'Organization not found', type: ErrorBodyDto })
  async listInvites(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<InvitePageDto> {
    return pageOf(await this.invites.list(principal), q, at);
  }

  @Delete('organizations/:org_id/invites/:id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Revokes an invite that was not accepted yet; its token stops working.', summary: 'Revoke an unaccepted invite' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'Invite not found', type: ErrorBodyDto })
  revokeInvite(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @UuidParam('id') id: string,
  ): Promise<void> {
    return this.invites.revoke(principal, id);
  }

  @Post('invites/accept')
  @HttpCode(200)
  @Public('Authenticated by the single-use invite token')
  @ApiOperation({ description: 'Exchanges a one-time invite token for membership: creates the user (or adds an existing one) with the invited role and returns their first personal API key, with every scope the role allows. The token works once and expires after 7 days. Public: authenticated by the token itself.', summary: 'Accept an invite: returns the user and their first API key' })
  @ApiOkResponse({ description: 'The user, the organization and the first API key (its value is shown only here)', type: AcceptedInviteDto })
  acceptInvite(@Body() dto: AcceptInviteDto, @Req() request: FastifyRequest): Promise<AcceptedInviteDto> {
    return this.invites.accept(dto, { requestId: String(request.id), ip: request.ip });
  }
}
