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
import { PageAt, type PageLocation } from '../common/pagination';

@ApiTags('audit log')
@Controller('organizations')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':org_id/audit-log')
  @Authz({ scope: ApiScope.OrganizationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "The organization's audit log, newest first: who did what to which target. Filter with `action`, `target`, `actor`, `since` and `until`; paged with `limit`/`offset` and `next`.", summary: "The organization's audit log, newest first, filterable by action, target, actor and time" })
  @ApiOkResponse({ description: 'One page of audit entries', type: AuditLogPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: ErrorBodyDto })
  listAuditLog(@CurrentPrincipal() principal: OrgPrincipal, @UuidParam('org_id') _orgId: string, @Query() q: AuditLogQueryDto, @PageAt() at: PageLocation): Promise<AuditLogPageDto> {
    return this.audit.list(principal, q, at);
  }
}
