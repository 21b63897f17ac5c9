import { ApiUpstream } from '../common/api-upstream.decorator';
import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { ErrorBodyDto, PosthogErrorDto } from '../common/dto/error-body.dto';
import { DomainConnectService } from './domain-connect.service';
import { ApplyUrlDto, ApplyUrlRequestDto, DomainConnectCheckDto, DomainQueryDto, PublicKeyRecordsDto, TemplateQueryDto, TemplateSupportDto } from './dto/domain-connect.dto';

@ApiTags('project integrations')
@ApiFace('posthog')
@ApiNotFoundResponse({ description: 'Project, integration or proxy record not found', type: PosthogErrorDto })
@Controller('projects/:project_id/integrations/domain-connect')
export class DomainConnectController {
  constructor(private readonly domainConnect: DomainConnectService) {}

  @Get('check')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ description: "Discovers whether the domain's DNS provider supports Domain Connect (TXT `_domainconnect` and the provider's settings endpoint, within `DOMAIN_CONNECT_PROVIDERS`).", summary: "Whether the domain's DNS provider supports Domain Connect" })
  @ApiOkResponse({ description: 'Whether Domain Connect is supported, and by which provider', type: DomainConnectCheckDto })
  @ApiBadRequestResponse({ description: 'Missing or invalid domain', type: PosthogErrorDto })
  @ApiUpstream()
  checkDomainConnect(@Param('project_id') _projectId: string, @Query() query: DomainQueryDto): Promise<DomainConnectCheckDto> {
    return this.domainConnect.check(query.domain);
  }

  @Get('template')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'project_param' })
  @ApiOperation({ description: "Asks the domain's DNS provider whether it hosts the hub's template for the context (email verification or reverse proxy).", summary: "Whether the domain's DNS provider hosts the context's template" })
  @ApiOkResponse({ description: 'Whether the template is supported', type: TemplateSupportDto })
  @ApiBadRequestResponse({ description: 'Missing or invalid domain or context', type: PosthogErrorDto })
  @ApiUpstream()
  checkDomainConnectTemplate(@Param('project_id') _projectId: string, @Query() query: TemplateQueryDto): Promise<TemplateSupportDto> {
    return this.domainConnect.templateSupport(query.domain, query.context);
  }

  @Post('apply-url')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'project_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Builds the signed Domain Connect apply URL that lets the domain's owner apply the DNS records of an email domain integration or a proxy record at their DNS provider in one click. Checks that the provider supports Domain Connect and hosts the template first.", summary: 'Build the signed Domain Connect apply URL for an email domain or a proxy record' })
  @ApiOkResponse({ description: 'The signed apply URL', type: ApplyUrlDto })
  @ApiBadRequestResponse({ description: 'Invalid context, missing id, unsupported provider, or signing not configured', type: PosthogErrorDto })
  @ApiUpstream()
  @Audited({ action: 'domain_connect.apply_url', object: 'domain_connect', fields: ['context', 'integration_id', 'proxy_record_id', 'provider_endpoint'] })
  createDomainConnectApplyUrl(@CurrentPrincipal() principal: OrgPrincipal, @Param('project_id') _projectId: string, @Body() body: ApplyUrlRequestDto): Promise<ApplyUrlDto> {
    return this.domainConnect.applyUrl(principal, body);
  }
}

@ApiTags('domain connect')
@Controller('domain-connect')
export class DomainConnectKeyController {
  constructor(private readonly domainConnect: DomainConnectService) {}

  @Get('public-key-records')
  @Public('The public key is meant to be published in DNS')
  @ApiOperation({ description: "Returns the TXT records that publish the public half of the hub's Domain Connect signing key (`DOMAIN_CONNECT_KEY_ID`), to be set in DNS so DNS providers can verify the hub's signed apply URLs. Public.", summary: 'The TXT records that publish the Domain Connect signing key' })
  @ApiOkResponse({ description: 'The key id and its TXT record values', type: PublicKeyRecordsDto })
  @ApiNotFoundResponse({ description: 'No signing key configured', type: ErrorBodyDto })
  getDomainConnectPublicKeyRecords(): PublicKeyRecordsDto {
    return this.domainConnect.publicKeyRecords();
  }
}
