import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
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

@ApiTags('policies')
@ApiBadRequestResponse({ description: 'Invalid body, unknown check/action, or no connected integration to enable it', type: ErrorBodyDto })
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'listPolicies', summary: 'List the workspace policies' })
  @ApiOkResponse({ type: PolicyListDto })
  async listPolicies(@CurrentPrincipal() principal: OrgPrincipal): Promise<PolicyListDto> {
    return { policies: await this.policies.list(principal) };
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'createPolicy', summary: 'Create a policy over a connected integration' })
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ description: 'integration_id not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.create', object: 'policy', fields: ['name', 'provider', 'check', 'action', 'integration_id', 'enabled'], redacted: ['config'] })
  createPolicy(@CurrentPrincipal() principal: OrgPrincipal, @Body() body: CreatePolicyDto): Promise<PolicyDto> {
    return this.policies.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ operationId: 'getPolicy', summary: 'Get a policy' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  getPolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string): Promise<PolicyDto> {
    return this.policies.get(principal, id);
  }

  @Patch(':id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'updatePolicy', summary: 'Update a policy (re-enabling needs a connected integration)' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.update', object: 'policy', fields: ['name', 'provider', 'check', 'action', 'integration_id', 'enabled'], redacted: ['config'] })
  updatePolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string, @Body() body: UpdatePolicyDto): Promise<PolicyDto> {
    return this.policies.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'deletePolicy', summary: 'Delete a policy' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'Policy not found', type: ErrorBodyDto })
  @Audited({ action: 'policy.delete', object: 'policy' })
  async deletePolicy(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('id', policyNotFound) id: string): Promise<void> {
    await this.policies.remove(principal, id);
  }
}
