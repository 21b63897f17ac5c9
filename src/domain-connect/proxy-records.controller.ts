import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateProxyRecordDto, ProxyRecordDto } from './dto/proxy-record.dto';
import { ProxyRecordsService } from './proxy-records.service';
import { UuidParam } from '../common/params';
import { proxyRecordNotFound } from './domain-connect.errors';

@ApiTags('proxy records')
@ApiNotFoundResponse({ description: 'Organization or proxy record not found', type: ErrorBodyDto })
@Controller('organizations/:org_id/proxy_records')
export class ProxyRecordsController {
  constructor(private readonly proxyRecords: ProxyRecordsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param' })
  @ApiOperation({ operationId: 'listProxyRecords', summary: "List the organization's reverse proxy records" })
  @ApiOkResponse({ type: [ProxyRecordDto] })
  listProxyRecords(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string): Promise<ProxyRecordDto[]> {
    return this.proxyRecords.list(principal);
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'createProxyRecord', summary: 'Create a reverse proxy record with a generated CNAME target' })
  @ApiCreatedResponse({ type: ProxyRecordDto })
  @ApiBadRequestResponse({ description: 'Invalid domain', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The domain already has a record', type: ErrorBodyDto })
  @Audited({ action: 'proxy_record.create', object: 'proxy_record', fields: ['domain'] })
  createProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Body() body: CreateProxyRecordDto): Promise<ProxyRecordDto> {
    return this.proxyRecords.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param' })
  @ApiOperation({ operationId: 'getProxyRecord', summary: 'Get a reverse proxy record' })
  @ApiOkResponse({ type: ProxyRecordDto })
  getProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @UuidParam('id', proxyRecordNotFound) id: string): Promise<ProxyRecordDto> {
    return this.proxyRecords.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'deleteProxyRecord', summary: 'Delete a reverse proxy record' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @Audited({ action: 'proxy_record.delete', object: 'proxy_record' })
  deleteProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @UuidParam('id', proxyRecordNotFound) id: string): Promise<void> {
    return this.proxyRecords.remove(principal, id);
  }
}
