import { ApiUpstream } from '../common/api-upstream.decorator';
import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequestId } from '../audit/request-id.decorator';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, Permission } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { IntegrationObjectDto, SyncAcceptedDto, UpdateIntegrationObjectDto } from './dto/integration-object.dto';
import { IntegrationObjectService } from './integration-object.service';

const ID_PARAM = { name: 'integration_id', description: 'Snowflake id', example: '7300112233445566778' };

@ApiTags('integration object')
@ApiNotFoundResponse({ description: 'Integration does not exist', type: ErrorBodyDto })
@ApiBadRequestResponse({ description: 'Organization does not exist, invalid configuration, or integration not enabled (sync)', type: ErrorBodyDto })
@Controller('integrations')
export class IntegrationObjectController {
  constructor(private readonly objects: IntegrationObjectService) {}

  @Get(':integration_id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request', permission: Permission.ManageOrganization })
  @ApiOperation({ description: "Returns one integration of the caller's organization by its snowflake id, in vRaptor's integration object shape. An integration of another organization answers 404.", summary: 'Get an integration object' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ description: 'The integration object', type: IntegrationObjectDto })
  getIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string): Promise<IntegrationObjectDto> {
    return this.objects.get(principal, id);
  }

  @Patch(':integration_id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', permission: Permission.ManageOrganization })
  @ApiOperation({ description: "Partially updates an integration: `configuration` (validated against the provider's schema) and/or `enabled`. Disabling does not disconnect; enabling a disconnected integration is refused (409).", summary: 'Update configuration and/or enabled (partial)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ description: 'The integration after the change', type: IntegrationObjectDto })
  @ApiConflictResponse({ description: 'The edit would send the stored credential to another destination (MantisBT url): connect again with the credential', type: ErrorBodyDto })
  @Audited({ action: 'integration.configure', object: 'integration', fields: ['enabled'], redacted: ['configuration'] })
  updateIntegration(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('integration_id') id: string,
    @Body() body: UpdateIntegrationObjectDto,
    @RequestId() requestId: string,
  ): Promise<IntegrationObjectDto> {
    return this.objects.update(principal, id, body, requestId);
  }

  @Post(':integration_id/sync')
  @HttpCode(202)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'request', permission: Permission.ManageOrganization })
  @ApiOperation({ description: "Queues a sync of the integration's repositories and metadata and answers at once. The integration must be enabled (400) and connected (409). Needs the queue (503 when Redis is down).", summary: 'Queue a sync of repositories/metadata; the integration must be enabled' })
  @ApiParam(ID_PARAM)
  @ApiAcceptedResponse({ description: 'The sync is queued', type: SyncAcceptedDto })
  @ApiConflictResponse({ description: 'The integration is in error (the reason, e.g. "Please reconnect") or disconnected', type: ErrorBodyDto })
  @ApiUpstream()
  @Audited({ action: 'integration.sync', object: 'integration' })
  syncIntegration(@CurrentPrincipal() principal: OrgPrincipal, @Param('integration_id') id: string): Promise<SyncAcceptedDto> {
    return this.objects.sync(principal, id);
  }
}
