import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal, Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateOrganizationDto, DeleteOrganizationDto, MemberDto, OrganizationDto, UpdateMemberDto, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';
import { UuidParam } from '../common/params';

@ApiTags('organizations')
@ApiNotFoundResponse({ description: 'Not found, or not visible to the caller', type: ErrorBodyDto })
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @Authz({ scope: ApiScope.OrganizationRead })
  @ApiOperation({ operationId: 'listOrganizations', summary: "List the caller's organizations" })
  @ApiOkResponse({ type: [OrganizationDto] })
  listOrganizations(@CurrentPrincipal() principal: Principal): Promise<OrganizationDto[]> {
    return this.organizations.listForPrincipal(principal);
  }

  @Post()
  @Authz({ scope: ApiScope.OrganizationWrite })
  @ApiOperation({ operationId: 'createOrganization', summary: 'Create an organization owned by the caller' })
  @ApiCreatedResponse({ type: OrganizationDto })
  createOrganization(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.organizations.create(principal, dto);
  }

  @Get(':org_id')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Member })
  @ApiOperation({ operationId: 'getOrganization', summary: 'Get an organization' })
  @ApiOkResponse({ type: OrganizationDto })
  getOrganization(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string): Promise<OrganizationDto> {
    return this.organizations.get(principal);
  }

  @Patch(':org_id')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'updateOrganization', summary: 'Rename an organization' })
  @ApiOkResponse({ type: OrganizationDto })
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
    operationId: 'deleteOrganization',
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
  @ApiOperation({ operationId: 'listMembers', summary: 'List the members of an organization' })
  @ApiOkResponse({ type: [MemberDto] })
  listMembers(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string): Promise<MemberDto[]> {
    return this.organizations.listMembers(principal);
  }

  @Patch(':org_id/members/:user_id')
  @Authz({ scope: ApiScope.OrganizationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'updateMember', summary: "Change a member's role (only owners grant or remove owner)" })
  @ApiOkResponse({ type: MemberDto })
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
  @ApiOperation({ operationId: 'removeMember', summary: 'Remove a member (the last owner cannot be removed)' })
  @ApiNoContentResponse({ description: 'Removed' })
  removeMember(
    @CurrentPrincipal() principal: OrgPrincipal,
    @UuidParam('org_id') _orgId: string,
    @UuidParam('user_id') userId: string,
  ): Promise<void> {
    return this.organizations.removeMember(principal, userId);
  }
}
