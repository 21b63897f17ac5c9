import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreatePolicyDto, PolicyDto, PolicyListDto, UpdatePolicyDto } from './dto/policy.dto';
import { PoliciesService } from './policies.service';
import { UuidParam } from '../common/params';
import { policyNotFound } from './integrations.errors';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('policies')
@ApiBadRequestResponse({ description: 'Invalid body, unknown check/action, or no connected integration to enable it', type: ErrorBodyDto })
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists the organization's workspace policies.", summary: 'List the workspace policies' })
  @ApiOkResponse({ description: 'One page of policies', type: PolicyListDto })
  async listPolicies(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<PolicyListDto> {
    return pageOf(await this.policies.list(principal), q, at);
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: "Creates a policy over a connected integration of the provider, using one of its checks or actions (see the provider's `checks`/`actions`).", summary: 'Create a policy over a connected integration' })
  @ApiCreatedResponse({ description: 'The policy created', type: PolicyDto })
  @ApiNotFoundResponse({ description: 'integration_id not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.create', object: 'policy', fields: ['name', 'provider', 'check', 'action', 'integration_id', 'enabled'], redacted: ['config'] })
  createPolicy(@CurrentPrincipal() principal: OrgPrincipal, @Body() body: CreatePolicyDto): Promise<PolicyDto> {
    return this.policies.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Returns one policy of the organization.', summary: 'Get a policy' })
  @ApiOkResponse({ description: 'The policy', type: PolicyDto })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  getPolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string): Promise<PolicyDto> {
    return this.policies.get(principal, id);
  }

  @Patch(':id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Changes a policy. Re-enabling one needs a connected integration of its provider (policies disabled by a disconnect stay disabled until then).', summary: 'Update a policy (re-enabling needs a connected integration)' })
  @ApiOkResponse({ description: 'The policy after the change', type: PolicyDto })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.update', object: 'policy', fields: ['name', 'provider', 'check', 'action', 'integration_id', 'enabled'], redacted: ['config'] })
  updatePolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string, @Body() body: UpdatePolicyDto): Promise<PolicyDto> {
    return this.policies.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ description: 'Deletes a policy.', summary: 'Delete a policy' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.delete', object: 'policy' })
  async deletePolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string): Promise<void> {
    await this.policies.remove(principal, id);
  }
}
