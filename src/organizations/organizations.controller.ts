import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal, Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateOrganizationDto, DeleteOrganizationDto, MemberDto, MemberPageDto, OrganizationDto, OrganizationPageDto, UpdateMemberDto, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';
import { UuidParam } from '../common/params';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('organizations')
@ApiNotFoundResponse({ description: 'Not found, or not visible to the caller', type: ErrorBodyDto })
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @Authz({ scope: ApiScope.OrganizationRead })
  @ApiOperation({ description: 'Lists the organizations the calling user belongs to (for a key pinned to an organization, only that one).', summary: "List the caller's organizations" })
  @ApiOkResponse({ description: 'One page of organizations', type: OrganizationPageDto })
  async listOrganizations(@CurrentPrincipal() principal: Principal, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<OrganizationPageDto> {
    return pageOf(await this.organizations.listForPrincipal(principal), q, at);
  }

  @Post()
  @Authz({ scope: ApiScope.OrganizationWrite })
  @ApiOperation({ description: 'Creates an organization with the caller as its owner.', summary: 'Create an organization owned by the caller' })
  @ApiCreatedResponse({ description: 'The organization created', type: OrganizationDto })
  createOrganization(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.organizations.create(principal, dto);
  }

  @Get(':org_id')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Member })
  @ApiOperation({ description: 'Returns one organization the caller is a member of; any other answers 404.', summary: 'Get an organization' })
  @ApiOkResponse({ description: 'The organization', type: OrganizationDto })
  getOrganization(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string): Promise<OrganizationDto> {
    return this.organizations.get(principal);
  }

  @Patch(':org_id')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Renames an organization. Needs `MANAGE_ORGANISATION` (owner or admin).', summary: 'Rename an organization' })
  @ApiOkResponse({ description: 'The organization after the change', type: OrganizationDto })
  updateOrganization(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @Body() dto: UpdateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.update(principal, dto);
  }

  @Delete(':org_id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Owner })
  @ApiOperation({
    summary: 'Delete an organization and everything it owns',
    description:
      'Owners only, with the name as confirmation (`{"confirm": "<name>"}`). Removes projects, integrations, policies, app connections, ' +
      'GitHub installations and scans, webhooks and events, invites, memberships, keys pinned to it, outbox mail and the audit log. ' +
      'Nothing is revoked at the providers.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteOrganization(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Body() dto: DeleteOrganizationDto): Promise<void> {
    return this.organizations.delete(principal, dto);
  }

  @Get(':org_id/members')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Member })
  @ApiOperation({ description: "Lists the organization's members with their roles.", summary: 'List the members of an organization' })
  @ApiOkResponse({ description: 'One page of members', type: MemberPageDto })
  async listMembers(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<MemberPageDto> {
    return pageOf(await this.organizations.listMembers(principal), q, at);
  }

  @Patch(':org_id/members/:user_id')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Changes a member's role. Only owners grant or remove `owner`; the last owner cannot be demoted.", summary: "Change a member's role (only owners grant or remove owner)" })
  @ApiOkResponse({ description: 'The member after the change', type: MemberDto })
  updateMember(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @UuidParam('user_id') userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.organizations.updateMember(principal, userId, dto);
  }

  @Delete(':org_id/members/:user_id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Removes a member from the organization; their keys stop working for it. Only owners remove owners, and the last owner cannot be removed.', summary: 'Remove a member (the last owner cannot be removed)' })
  @ApiNoContentResponse({ description: 'Removed' })
  removeMember(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @UuidParam('user_id') userId: string,
  ): Promise<void> {
    return this.organizations.removeMember(principal, userId);
  }
}
