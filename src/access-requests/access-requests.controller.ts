import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { PosthogErrorDto } from '../common/dto/error-body.dto';
import { AccessRequestsService } from './access-requests.service';
import { AccessRequestDto, AccessRequestListDto, ListAccessRequestsQueryDto, ResolveAccessRequestDto } from './dto/access-request.dto';
import { RequestAccessDto, SuccessDto } from './dto/request-access.dto';
import { MembersOnlyGuard } from './members-only.guard';
import { UuidParam } from '../common/params';
import { accessRequestNotFound } from './access-requests.errors';

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiNotFoundResponse({ description: 'Project not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations')
export class AccessRequestsController {
  constructor(private readonly accessRequests: AccessRequestsService) {}

  @Post('request_access')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param' })
  @UseGuards(MembersOnlyGuard)
  @ApiOperation({ description: "Lets a member who may not connect integrations ask the project's admins to connect one, with a reason. Admins are notified by email when SMTP is set. Members only (owners and admins connect it themselves).", summary: "Ask the project's admins to connect an integration (members only)" })
  @ApiOkResponse({ description: 'The request was recorded', type: SuccessDto })
  @ApiBadRequestResponse({ description: 'Unsupported kind, or a blank or too long reason', type: PosthogErrorDto })
  requestIntegrationAccess(@CurrentPrincipal() principal: OrgPrincipal, @Param('project_id') _projectId: string, @Body() body: RequestAccessDto): Promise<SuccessDto> {
    return this.accessRequests.request(principal, body);
  }

  @Get('access_requests')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Lists the project's integration access requests, newest first, optionally by `status`. Project admins only.", summary: "List the project's integration access requests, newest first" })
  @ApiOkResponse({ description: 'The access requests', type: AccessRequestListDto })
  @ApiBadRequestResponse({ description: 'Unknown status filter', type: PosthogErrorDto })
  listIntegrationAccessRequests(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('project_id') _projectId: string,
    @Query() query: ListAccessRequestsQueryDto,
  ): Promise<AccessRequestListDto> {
    return this.accessRequests.list(principal, query);
  }

  @Post('access_requests/:id/resolve')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Approves or dismisses a pending access request, with an optional note for the requester. 409 when it is resolved already. Audited.', summary: 'Approve or dismiss an access request' })
  @ApiOkResponse({ description: 'The access request after the change', type: AccessRequestDto })
  @ApiBadRequestResponse({ description: 'Invalid status or note', type: PosthogErrorDto })
  @ApiConflictResponse({ description: 'Already resolved', type: PosthogErrorDto })
  resolveIntegrationAccessRequest(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('project_id') _projectId: string,
    @UuidParam('id', accessRequestNotFound) id: string,
    @Body() body: ResolveAccessRequestDto,
  ): Promise<AccessRequestDto> {
    return this.accessRequests.resolve(principal, id, body);
  }
}
