import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { AcceptedInviteDto, AcceptInviteDto, CreatedInviteDto, CreateInviteDto, InviteDto } from './dto/invite.dto';
import { InvitesService } from './invites.service';
import { UuidParam } from '../common/params';

@ApiTags('invites')
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller()
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Post('organizations/:org_id/invites')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'createInvite', summary: 'Invite someone by email; returns a one-time token' })
  @ApiCreatedResponse({ type: CreatedInviteDto })
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
  @ApiOperation({ operationId: 'listInvites', summary: "List an organization's invites (tokens are never shown again)" })
  @ApiOkResponse({ type: [InviteDto] })
  @ApiNotFoundResponse({ description: 'Organization not found', type: ErrorBodyDto })
  listInvites(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string): Promise<InviteDto[]> {
    return this.invites.list(principal);
  }

  @Delete('organizations/:org_id/invites/:id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'revokeInvite', summary: 'Revoke an unaccepted invite' })
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
  @ApiOperation({ operationId: 'acceptInvite', summary: 'Accept an invite: returns the user and their first API key' })
  @ApiOkResponse({ type: AcceptedInviteDto })
  acceptInvite(@Body() dto: AcceptInviteDto, @Req() request: FastifyRequest): Promise<AcceptedInviteDto> {
    return this.invites.accept(dto, { requestId: String(request.id), ip: request.ip });
  }
}
