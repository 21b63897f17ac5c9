import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { ScanBaselineDto, UpdateScanBaselineDto } from './dto/scan-baseline.dto';
import { ScanCacheInvalidatedDto, ScanDriftDto, ScanDriftQueryDto, ScanPermissionsDto, ScanProgressDto, ScanResultsDto, ScanResultsQueryDto, ScanStatusDto } from './dto/scan.dto';
import { ScanBaselinesService } from './scan-baselines.service';
import { ScanReportsService } from './scan-reports.service';
import { ScanService } from './scan.service';

const READ = { scope: ApiScope.IntegrationRead, org: 'request', role: OrgRole.Admin } as const;
const WRITE = { scope: ApiScope.IntegrationWrite, org: 'request', role: OrgRole.Admin } as const;

/** TinyOps' GitHub organization scanning endpoints (workspace face, owners and admins). */
@ApiTags('github org scan')
@ApiBadRequestResponse({ description: 'Missing or unknown X-Organization-Id, or an invalid parameter', type: ErrorBodyDto })
@Controller('integrations/github')
export class ScanController {
  constructor(
    private readonly scans: ScanService,
    private readonly reports: ScanReportsService,
    private readonly baselines: ScanBaselinesService,
  ) {}

  @Post('scan-org')
  @HttpCode(202)
  @Authz(WRITE)
  @ApiOperation({ operationId: 'startGithubOrgScan', summary: 'Start a scan of every connected installation (returns the running scan if one is under way)' })
  @ApiAcceptedResponse({ type: ScanProgressDto })
  @ApiConflictResponse({ description: 'No GitHub installation is connected', type: ErrorBodyDto })
  startGithubOrgScan(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.start(principal);
  }

  @Get('scan-permissions')
  @Authz(READ)
  @ApiOperation({ operationId: 'getGithubScanPermissions', summary: "Whether the installations' actual permissions suffice to scan" })
  @ApiOkResponse({ type: ScanPermissionsDto })
  @ApiNotFoundResponse({ description: 'An installation no longer exists on GitHub', type: ErrorBodyDto })
  getGithubScanPermissions(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanPermissionsDto> {
    return this.scans.permissions(principal);
  }

  @Get('scan-progress')
  @Authz(READ)
  @ApiOperation({ operationId: 'getGithubScanProgress', summary: 'Progress of the current (or last) scan' })
  @ApiOkResponse({ type: ScanProgressDto })
  getGithubScanProgress(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.progress(principal);
  }

  @Post('scan-cache/invalidate')
  @HttpCode(200)
  @Authz(WRITE)
  @ApiOperation({ operationId: 'invalidateGithubScanCache', summary: 'Drop the kept GitHub responses so the next scan reads unconditionally (webhooks announcing changes do the same)' })
  @ApiOkResponse({ type: ScanCacheInvalidatedDto })
  invalidateGithubScanCache(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanCacheInvalidatedDto> {
    return this.scans.invalidateCache(principal);
  }

  @Get('scan-status')
  @Authz(READ)
  @ApiOperation({ operationId: 'getGithubScanStatus', summary: 'When the last scan completed, and the status of the latest' })
  @ApiOkResponse({ type: ScanStatusDto })
  getGithubScanStatus(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanStatusDto> {
    return this.scans.status(principal);
  }

  @Get('scan-results')
  @Authz(READ)
  @ApiOperation({ operationId: 'listGithubScanResults', summary: 'Findings of the last completed scan (paged, filtered by repo, check, severity)' })
  @ApiOkResponse({ type: ScanResultsDto })
  @ApiNotFoundResponse({ description: 'No completed scan yet', type: ErrorBodyDto })
  listGithubScanResults(@CurrentPrincipal() principal: OrgPrincipal, @Query() query: ScanResultsQueryDto): Promise<ScanResultsDto> {
    return this.reports.findings(principal, query);
  }

  @Get('scan-drift')
  @Authz(READ)
  @ApiOperation({ operationId: 'getGithubScanDrift', summary: 'What changed since the previous completed scan (or the scan or date named by `since`) up to the last one' })
  @ApiOkResponse({ type: ScanDriftDto })
  @ApiNotFoundResponse({ description: 'No completed scan yet, or none matching `since`', type: ErrorBodyDto })
  getGithubScanDrift(@CurrentPrincipal() principal: OrgPrincipal, @Query() query: ScanDriftQueryDto): Promise<ScanDriftDto> {
    return this.reports.drift(principal, query);
  }

  @Post('scan-cancel')
  @HttpCode(200)
  @Authz(WRITE)
  @ApiOperation({ operationId: 'cancelGithubOrgScan', summary: 'Cancel the queued or running scan' })
  @ApiOkResponse({ type: ScanProgressDto })
  @ApiConflictResponse({ description: 'No scan is queued or running', type: ErrorBodyDto })
  cancelGithubOrgScan(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.cancel(principal);
  }

  @Get('scan-baseline')
  @Authz(READ)
  @ApiOperation({ operationId: 'getGithubScanBaseline', summary: "The organization's baseline policy (the default until edited)" })
  @ApiOkResponse({ type: ScanBaselineDto })
  getGithubScanBaseline(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanBaselineDto> {
    return this.baselines.get(principal);
  }

  @Put('scan-baseline')
  @Authz(WRITE)
  @ApiOperation({ operationId: 'updateGithubScanBaseline', summary: 'Edit the baseline; omitted fields keep their value. Applies from the next scan' })
  @ApiOkResponse({ type: ScanBaselineDto })
  updateGithubScanBaseline(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: UpdateScanBaselineDto): Promise<ScanBaselineDto> {
    return this.baselines.update(principal, dto);
  }
}
