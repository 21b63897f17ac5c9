import { ApiUpstream } from '../common/api-upstream.decorator';
import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequestId } from '../audit/request-id.decorator';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { ScanBaselineDto, UpdateScanBaselineDto } from './dto/scan-baseline.dto';
import { CreateScanExemptionDto, ScanExemptionDto, ScanExemptionListDto } from './dto/scan-exemption.dto';
import { ScanCacheInvalidatedDto, ScanDriftDto, ScanDriftQueryDto, ScanInventoryDto, ScanInventoryQueryDto, ScanPermissionsDto, ScanProgressDto, ScanResultsDto, ScanResultsQueryDto, ScanStatusDto } from './dto/scan.dto';
import { ScanScheduleDto, UpdateScanScheduleDto } from './dto/scan-schedule.dto';
import { ScanExemptionsService } from './scan-exemptions.service';
import { ScanSchedulesService } from './scan-schedules.service';
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
    private readonly exemptions: ScanExemptionsService,
    private readonly schedules: ScanSchedulesService,
  ) {}

  @Get('scan-schedule')
  @Authz(READ)
  @ApiOperation({ description: "Returns the organization's scan schedule (a five-field cron expression, UTC), when the next scheduled scan is due and when one last ran.", summary: "The organization's scheduled scans (cron, UTC) and when the next is due" })
  @ApiOkResponse({ description: 'The schedule', type: ScanScheduleDto })
  getGithubScanSchedule(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanScheduleDto> {
    return this.schedules.get(principal);
  }

  @Put('scan-schedule')
  @Authz(WRITE)
  @ApiOperation({ description: "Sets the cron schedule (five fields, UTC) on which the organization is scanned; the scheduler starts scans on every replica's behalf exactly once.", summary: 'Scan the organization on a cron schedule (five fields, UTC)' })
  @ApiOkResponse({ description: 'The schedule after the change', type: ScanScheduleDto })
  @Audited({ action: 'scan_schedule.update', object: 'scan_schedule', fields: ['cron'] })
  updateGithubScanSchedule(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: UpdateScanScheduleDto): Promise<ScanScheduleDto> {
    return this.schedules.update(principal, dto);
  }

  @Delete('scan-schedule')
  @HttpCode(204)
  @Authz(WRITE)
  @ApiOperation({ description: "Removes the organization's scan schedule; no further scheduled scans start (a running one continues).", summary: 'Stop scheduled scans' })
  @ApiNoContentResponse({ description: 'No scheduled scans any more' })
  @Audited({ action: 'scan_schedule.delete', object: 'scan_schedule' })
  deleteGithubScanSchedule(@CurrentPrincipal() principal: OrgPrincipal): Promise<void> {
    return this.schedules.remove(principal);
  }

  @Post('scan-org')
  @HttpCode(202)
  @Authz(WRITE)
  @ApiOperation({ description: "Queues a scan of every repository reachable through the organization's connected GitHub installations and answers at once; follow it with `scan-progress`. Only one scan per organization runs at a time across all replicas: if one is under way, its progress is returned instead of starting another. Needs the queue (503 when Redis is down).", summary: 'Start a scan of every connected installation (returns the running scan if one is under way)' })
  @ApiAcceptedResponse({ description: 'The scan is queued (or already running): its progress', type: ScanProgressDto })
  @ApiConflictResponse({ description: 'No GitHub installation is connected', type: ErrorBodyDto })
  @ApiUpstream()
  @Audited({ action: 'scan.start', object: 'scan' })
  startGithubOrgScan(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.start(principal);
  }

  @Get('scan-permissions')
  @Authz(READ)
  @ApiOperation({ description: "Asks GitHub for each connected installation's granted permissions and compares them with what a scan needs, naming what is missing.", summary: "Whether the installations' actual permissions suffice to scan" })
  @ApiOkResponse({ description: 'Per installation, the permissions granted and missing', type: ScanPermissionsDto })
  @ApiNotFoundResponse({ description: 'An installation no longer exists on GitHub', type: ErrorBodyDto })
  @ApiUpstream()
  getGithubScanPermissions(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanPermissionsDto> {
    return this.scans.permissions(principal);
  }

  @Get('scan-progress')
  @Authz(READ)
  @ApiOperation({ description: "Progress of the organization's current scan, or of the last one when none is running: status, repositories scanned out of the total, start and end times and the error of a failed scan.", summary: 'Progress of the current (or last) scan' })
  @ApiOkResponse({ description: "The scan's progress", type: ScanProgressDto })
  getGithubScanProgress(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.progress(principal);
  }

  @Post('scan-cache/invalidate')
  @HttpCode(200)
  @Authz(WRITE)
  @ApiOperation({ description: 'Drops the GitHub responses the scanner keeps for conditional requests, so the next scan reads every repository unconditionally. Webhooks that announce changes invalidate the affected entries on their own.', summary: 'Drop the kept GitHub responses so the next scan reads unconditionally (webhooks announcing changes do the same)' })
  @ApiOkResponse({ description: 'The cache was dropped', type: ScanCacheInvalidatedDto })
  @Audited({ action: 'scan.cache_invalidate', object: 'scan_cache' })
  invalidateGithubScanCache(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanCacheInvalidatedDto> {
    return this.scans.invalidateCache(principal);
  }

  @Get('scan-status')
  @Authz(READ)
  @ApiOperation({ description: "When the organization's last scan completed and the status of the latest one, for a cheap poll.", summary: 'When the last scan completed, and the status of the latest' })
  @ApiOkResponse({ description: "The latest scan's status", type: ScanStatusDto })
  getGithubScanStatus(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanStatusDto> {
    return this.scans.status(principal);
  }

  @Get('scan-results')
  @Authz(READ)
  @ApiOperation({ description: 'Findings of the last completed scan, filtered by `repo`, `check` and `severity`, paged with `page`/`per_page`. `Accept: application/sarif+json` answers SARIF 2.1.0 and `text/csv` a CSV file (or `format=`). Suppressed findings (acknowledged or exempt) are left out unless `suppressed` asks for them.', summary: 'Findings of the last completed scan (paged, filtered by repo, check, severity), as JSON, SARIF 2.1.0 or CSV' })
  @ApiProduces('application/json', 'application/sarif+json', 'text/csv')
  @ApiOkResponse({ type: ScanResultsDto, description: 'JSON by default; SARIF 2.1.0 with `format=sarif` or `Accept: application/sarif+json`; CSV with `format=csv` or `Accept: text/csv`' })
  @ApiNotFoundResponse({ description: 'No completed scan yet', type: ErrorBodyDto })
  listGithubScanResults(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Query() query: ScanResultsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScanResultsDto | string | Record<string, unknown>> {
    return this.reports.render(principal, query, accept, (type) => void reply.header('content-type', type));
  }

  @Get('scan-inventory')
  @Authz(READ)
  @ApiOperation({ description: 'Lists every repository of the last completed scan with what was read about it, with or without findings, paged with `page`/`per_page`.', summary: 'Every repository of the last completed scan with its snapshot, findings or not (paged)' })
  @ApiOkResponse({ description: 'One page of the scanned repositories', type: ScanInventoryDto })
  @ApiNotFoundResponse({ description: 'No completed scan yet', type: ErrorBodyDto })
  listGithubScanInventory(@CurrentPrincipal() principal: OrgPrincipal, @Query() query: ScanInventoryQueryDto): Promise<ScanInventoryDto> {
    return this.reports.inventory(principal, query);
  }

  @Get('scan-exemptions')
  @Authz(READ)
  @ApiOperation({ description: "Lists the organization's acknowledgements (a finding accepted for one repository and check) and exemptions (a repository left out), active and expired.", summary: 'Acknowledged findings and exempt repositories (active and expired)' })
  @ApiOkResponse({ description: 'The acknowledgements and exemptions', type: ScanExemptionListDto })
  listGithubScanExemptions(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanExemptionListDto> {
    return this.exemptions.list(principal);
  }

  @Post('scan-exemptions')
  @Authz(WRITE)
  @ApiOperation({ description: 'Acknowledges a finding (`repo` and `check`) or exempts a repository (`repo` alone) until `expiresAt`, with a reason. Acknowledged findings and exempt repositories are reported as suppressed, not removed. Audited.', summary: 'Acknowledge a finding (repo and check) or exempt a repository (repo alone), with a reason and an expiry (audited)' })
  @ApiCreatedResponse({ description: 'The acknowledgement or exemption created', type: ScanExemptionDto })
  createGithubScanExemption(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: CreateScanExemptionDto, @RequestId() requestId: string): Promise<ScanExemptionDto> {
    return this.exemptions.create(principal, dto, requestId);
  }

  @Delete('scan-exemptions/:id')
  @HttpCode(204)
  @Authz(WRITE)
  @ApiOperation({ description: 'Revokes an acknowledgement or exemption before it expires; the next results show the findings again. Audited.', summary: 'Revoke an acknowledgement or exemption (audited)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such acknowledgement or exemption in this organization', type: ErrorBodyDto })
  deleteGithubScanExemption(@CurrentPrincipal() principal: OrgPrincipal, @Param('id') id: string, @RequestId() requestId: string): Promise<void> {
    return this.exemptions.remove(principal, id, requestId);
  }

  @Get('scan-drift')
  @Authz(READ)
  @ApiOperation({ description: 'Compares the last completed scan with the previous one (or with the scan or date named by `since`): repositories added, removed and renamed, field changes and findings added or resolved per repository.', summary: 'What changed since the previous completed scan (or the scan or date named by `since`) up to the last one' })
  @ApiOkResponse({ description: 'What changed between the two scans', type: ScanDriftDto })
  @ApiNotFoundResponse({ description: 'No completed scan yet, or none matching `since`', type: ErrorBodyDto })
  getGithubScanDrift(@CurrentPrincipal() principal: OrgPrincipal, @Query() query: ScanDriftQueryDto): Promise<ScanDriftDto> {
    return this.reports.drift(principal, query);
  }

  @Post('scan-cancel')
  @HttpCode(200)
  @Authz(WRITE)
  @ApiOperation({ description: "Cancels the organization's queued or running scan. Repositories already scanned keep their results but the scan never becomes the last completed one. 409 when no scan is queued or running.", summary: 'Cancel the queued or running scan' })
  @ApiOkResponse({ description: "The cancelled scan's progress", type: ScanProgressDto })
  @ApiConflictResponse({ description: 'No scan is queued or running', type: ErrorBodyDto })
  @ApiUpstream()
  @Audited({ action: 'scan.cancel', object: 'scan' })
  cancelGithubOrgScan(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanProgressDto> {
    return this.scans.cancel(principal);
  }

  @Get('scan-baseline')
  @Authz(READ)
  @ApiOperation({ description: "Returns the organization's scan baseline: the rules every scanned repository is checked against. Until edited it is the hub's default baseline.", summary: "The organization's baseline policy (the default until edited)" })
  @ApiOkResponse({ description: 'The baseline in force', type: ScanBaselineDto })
  getGithubScanBaseline(@CurrentPrincipal() principal: OrgPrincipal): Promise<ScanBaselineDto> {
    return this.baselines.get(principal);
  }

  @Put('scan-baseline')
  @Authz(WRITE)
  @ApiOperation({ description: 'Edits the baseline; fields left out keep their value. It applies from the next scan (findings of completed scans are not recomputed). Audited.', summary: 'Edit the baseline; omitted fields keep their value. Applies from the next scan' })
  @ApiOkResponse({ description: 'The baseline after the change', type: ScanBaselineDto })
  @Audited({ action: 'scan_baseline.update', object: 'scan_baseline' })
  updateGithubScanBaseline(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: UpdateScanBaselineDto): Promise<ScanBaselineDto> {
    return this.baselines.update(principal, dto);
  }
}
