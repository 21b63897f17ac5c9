import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { AuditService } from './audit.service';
import { AuditLogPageDto, AuditLogQueryDto } from './dto/audit-log.dto';
import { UuidParam } from '../common/params';

@ApiTags('audit log')
@Controller('organizations')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':org_id/audit-log')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ operationId: 'listAuditLog', summary: "The organization's audit log, newest first, filterable by action, target, actor and time" })
  @ApiOkResponse({ type: AuditLogPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: ErrorBodyDto })
  listAuditLog(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: AuditLogQueryDto): Promise<AuditLogPageDto> {
    return this.audit.list(principal, q, `/api/organizations/${principal.organizationId}/audit-log`);
  }
}
