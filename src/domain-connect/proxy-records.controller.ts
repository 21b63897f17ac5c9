import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateProxyRecordDto, ProxyRecordDto, ProxyRecordPageDto } from './dto/proxy-record.dto';
import { ProxyRecordsService } from './proxy-records.service';
import { UuidParam } from '../common/params';
import { proxyRecordNotFound } from './domain-connect.errors';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('proxy records')
@ApiNotFoundResponse({ description: 'Organization or proxy record not found', type: ErrorBodyDto })
@Controller('organizations/:org_id/proxy_records')
export class ProxyRecordsController {
  constructor(private readonly proxyRecords: ProxyRecordsService) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param' })
  @ApiOperation({ description: "Lists the organization's reverse proxy records (custom domains pointed at a hub-generated CNAME target).", summary: "List the organization's reverse proxy records" })
  @ApiOkResponse({ description: 'One page of proxy records', type: ProxyRecordPageDto })
  async listProxyRecords(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<ProxyRecordPageDto> {
    return pageOf(await this.proxyRecords.list(principal), q, at);
  }

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Creates a reverse proxy record for a domain with a generated CNAME target; apply the DNS change through Domain Connect (`apply-url`) or by hand. 409 when the domain has a record already.', summary: 'Create a reverse proxy record with a generated CNAME target' })
  @ApiCreatedResponse({ description: 'The proxy record created', type: ProxyRecordDto })
  @ApiBadRequestResponse({ description: 'Invalid domain', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The domain already has a record', type: ErrorBodyDto })
  @Audited({ action: 'proxy_record.create', object: 'proxy_record', fields: ['domain'] })
  createProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Body() body: CreateProxyRecordDto): Promise<ProxyRecordDto> {
    return this.proxyRecords.create(principal, body);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param' })
  @ApiOperation({ description: 'Returns one reverse proxy record of the organization.', summary: 'Get a reverse proxy record' })
  @ApiOkResponse({ description: 'The proxy record', type: ProxyRecordDto })
  getProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @UuidParam('id', proxyRecordNotFound) id: string): Promise<ProxyRecordDto> {
    return this.proxyRecords.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Deletes a reverse proxy record. The DNS record itself is left to the domain's owner.", summary: 'Delete a reverse proxy record' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @Audited({ action: 'proxy_record.delete', object: 'proxy_record' })
  deleteProxyRecord(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @UuidParam('id', proxyRecordNotFound) id: string): Promise<void> {
    return this.proxyRecords.remove(principal, id);
  }
}
