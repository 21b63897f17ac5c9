import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { DriftKind } from '../scan-drift';
import { FindingSeverity, RepoResultStatus, ScanStatus } from '../scan.enums';
import { IsOmittable } from '../../common/validation';

@ApiSchema({ description: 'What a scan cost in GitHub API budget.' })
export class ScanCostDto {
  @ApiProperty({ description: 'GraphQL requests made', example: 100 }) graphqlRequests: number;
  @ApiProperty({ example: 2400, description: "GraphQL points, as GitHub reports each query's cost (rateLimit.cost)" }) graphqlPoints: number;
  @ApiProperty({ example: 4, description: 'REST calls that counted against the rate limit' }) restCalls: number;
  @ApiProperty({ example: 200, description: 'Conditional REST calls GitHub answered 304 (free of rate limit)' }) restNotModified: number;
  @ApiPropertyOptional({ example: 0, description: 'Of the REST calls and 304s, those made per repository (webhooks, when the installation may read them): outside the bulk first pass' }) restPerRepository?: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { graphql: 2600, core: 4990 }, description: "Budget left per resource, from GitHub's last x-ratelimit-remaining header" }) remaining: Record<string, number>;
}

@ApiSchema({ description: 'Progress of a scan.' })
export class ScanProgressDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The scan reported on; null when the organization was never scanned' }) scanId: string | null;
  @ApiProperty({ description: 'State of the scan', enum: ScanStatus, enumName: 'ScanStatus', example: ScanStatus.Scanning }) status: ScanStatus;
  @ApiProperty({ description: 'Percent done', minimum: 0, maximum: 100, example: 65 }) progress: number;
  @ApiProperty({ description: 'Repositories scanned so far', example: 42 }) reposScanned: number;
  @ApiProperty({ description: 'Repositories to scan', example: 64 }) reposTotal: number;
  @ApiProperty({ description: 'When it started', type: String, format: 'date-time', nullable: true, example: '2026-04-30T08:00:00Z' }) startedAt: string | null;
  @ApiPropertyOptional({ description: 'When it finished', type: String, format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'Why it failed', example: 'The repositories of acme could not be read' }) error?: string;
  @ApiPropertyOptional({ type: ScanCostDto, description: "What the scan has cost so far, in GitHub's rate-limit terms" }) githubCost?: ScanCostDto;
}

@ApiSchema({ description: 'The latest scan at a glance.' })
export class ScanStatusDto {
  @ApiProperty({ description: 'When the last scan completed', type: String, format: 'date-time', nullable: true }) lastCompletedAt: string | null;
  @ApiProperty({ description: 'The last completed scan', type: String, format: 'uuid', nullable: true }) lastScanId: string | null;
  @ApiProperty({ enum: ScanStatus, enumName: 'ScanStatus', description: 'Status of the most recent scan (idle when none)' }) status: ScanStatus;
}

@ApiSchema({ description: "One installation's permissions against what a scan needs." })
export class InstallationPermissionsDto {
  @ApiProperty({ description: 'GitHub installation id', example: '12345678' }) installationId: string;
  @ApiProperty({ description: 'GitHub account (organization or user) the installation is on', example: 'acme-org' }) accountLogin: string;
  @ApiProperty({ description: 'Whether a scan may run' }) sufficient: boolean;
  @ApiProperty({ description: 'Permissions granted', type: 'object', additionalProperties: { type: 'string' }, example: { metadata: 'read', contents: 'read' } }) granted: Record<string, string>;
  @ApiProperty({ description: 'Permissions a scan needs and lacks', type: [String], example: ['administration'] }) missing: string[];
}

@ApiSchema({ description: 'Whether the installations may be scanned.' })
export class ScanPermissionsDto {
  @ApiProperty({ description: 'Every connected installation grants every required permission' }) sufficient: boolean;
  @ApiProperty({ description: 'Permissions a scan needs', type: 'object', additionalProperties: { type: 'string' }, example: { metadata: 'read', contents: 'read', administration: 'read' } }) required: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Permissions granted by every installation, at the lowest level any grants' }) granted: Record<string, string>;
  @ApiProperty({ description: 'Permissions a scan needs and lacks', type: [String], example: ['administration'] }) missing: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Read when granted (vulnerability alerts, admin teams and owners, secret scanning alerts, organization settings and Actions defaults, repository webhooks); their absence is not a failure', example: { vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read', organization_administration: 'read', repository_hooks: 'read' } }) optional: Record<string, string>;
  @ApiProperty({ description: 'Per installation', type: [InstallationPermissionsDto] }) installations: InstallationPermissionsDto[];
}

@ApiSchema({ description: 'The scan cache was dropped.' })
export class ScanCacheInvalidatedDto {
  @ApiProperty({ description: 'Always true', example: true }) invalidated: boolean;
  @ApiProperty({ example: 1, description: 'Installations whose cached pages were dropped' }) installations: number;
}

export enum SuppressedFilter {
  Include = 'include',
  Exclude = 'exclude',
  Only = 'only',
}

export enum ScanResultsFormat {
  Json = 'json',
  Sarif = 'sarif',
  Csv = 'csv',
}

@ApiSchema({ description: 'Filters and paging of scan findings.' })
export class ScanResultsQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ description: 'Items per page', minimum: 1, maximum: 500, default: 100 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
  @ApiPropertyOptional({ description: 'Repository, as owner/name or name', example: 'acme-org/api' }) @IsOmittable() @IsString() @MaxLength(255) repo?: string;
  @ApiPropertyOptional({ description: 'Check id', example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ description: 'Only this severity', enum: FindingSeverity, enumName: 'FindingSeverity' }) @IsOmittable() @IsEnum(FindingSeverity) severity?: FindingSeverity;
  @ApiPropertyOptional({ enum: SuppressedFilter, enumName: 'SuppressedFilter', default: SuppressedFilter.Include, description: 'Findings accepted by an active acknowledgement or exemption: listed (marked), left out, or alone' })
  @IsOmittable()
  @IsEnum(SuppressedFilter)
  suppressed?: SuppressedFilter;
  @ApiPropertyOptional({ enum: ScanResultsFormat, enumName: 'ScanResultsFormat', description: 'sarif (SARIF 2.1.0) and csv hold every matching finding, not a page; `Accept: application/sarif+json` or `text/csv` do the same' })
  @IsOmittable()
  @IsEnum(ScanResultsFormat)
  format?: ScanResultsFormat;
}

@ApiSchema({ description: 'Paging of the scan inventory.' })
export class ScanInventoryQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ description: 'Items per page', minimum: 1, maximum: 500, default: 100 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
}

@ApiSchema({ description: 'Why a finding is suppressed.' })
export class FindingSuppressionDto {
  @ApiProperty({ description: 'Acknowledged finding or exempt repository', enum: ['acknowledgement', 'exemption'] }) kind: 'acknowledgement' | 'exemption';
  @ApiProperty({ description: 'Why' }) reason: string;
  @ApiProperty({ description: 'When it lapses', type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
}

@ApiSchema({ description: 'A scanned repository.' })
export class InventoryRepoDto {
  @ApiProperty({ description: 'Repository full name (`owner/name`)', example: 'acme-org/api' }) repo: string;
  @ApiProperty({ example: '123456', description: "GitHub's repository id" }) repositoryId: string;
  @ApiProperty({ description: 'GitHub installation id', example: '12345678' }) installationId: string;
  @ApiProperty({ description: 'How reading it went', enum: RepoResultStatus, enumName: 'RepoResultStatus' }) status: RepoResultStatus;
  @ApiProperty({ example: 2, description: 'Findings on the repository (accepted ones included)' }) findings: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the scan recorded: visibility, protection, rulesets, admins, files, alerts, ...' }) snapshot: Record<string, unknown>;
}

@ApiSchema({ description: 'One page of the repositories of the last completed scan.' })
export class ScanInventoryDto {
  @ApiProperty({ description: 'The scan (id)', format: 'uuid' }) scanId: string;
  @ApiProperty({ description: 'When the scan completed', type: String, format: 'date-time' }) completedAt: string;
  @ApiProperty({ description: 'The repositories of this page', type: [InventoryRepoDto] }) repos: InventoryRepoDto[];
  @ApiProperty({ description: 'Total number of items across all pages', example: 64 }) total: number;
  @ApiProperty({ description: 'Page number, from 1', example: 1 }) page: number;
  @ApiProperty({ description: 'Items per page', example: 100 }) per_page: number;
}

@ApiSchema({ description: 'A repository that breaks a baseline rule.' })
export class ScanFindingDto {
  @ApiProperty({ description: 'Repository full name (`owner/name`)', example: 'acme-org/api' }) repo: string;
  @ApiProperty({ description: 'A check of the provider, e.g. `branch_protection`', example: 'branch_protection' }) check: string;
  @ApiProperty({ description: 'How serious the finding is', enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty({ description: 'What is wrong, in words', example: "Default branch 'main' is not protected" }) message: string;
  @ApiProperty({ enum: RepoResultStatus, enumName: 'RepoResultStatus', description: 'Whether everything about the repository could be read' }) repoStatus: RepoResultStatus;
  @ApiPropertyOptional({ type: FindingSuppressionDto, description: 'Present when an active acknowledgement or exemption accepts the finding' }) suppression?: FindingSuppressionDto;
}

@ApiSchema({ description: 'One page of findings of the last completed scan.' })
export class ScanResultsDto {
  @ApiProperty({ description: 'The scan (id)', format: 'uuid' }) scanId: string;
  @ApiProperty({ description: 'When the scan completed', type: String, format: 'date-time' }) completedAt: string;
  @ApiProperty({ description: 'The findings of this page', type: [ScanFindingDto] }) results: ScanFindingDto[];
  @ApiProperty({ description: 'Total number of items across all pages', example: 12 }) total: number;
  @ApiProperty({ description: 'Page number, from 1', example: 1 }) page: number;
  @ApiProperty({ description: 'Items per page', example: 100 }) per_page: number;
}

@ApiSchema({ description: 'What to compare the last scan with.' })
export class ScanDriftQueryDto {
  @ApiPropertyOptional({
    description: 'Compare with this completed scan (its id) or with the last scan completed at or before this ISO 8601 date; default: the completed scan before the last',
    example: '2026-04-30T08:00:00Z',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  since?: string;
}

/** Any JSON value; null is allowed on the string branch (OpenAPI 3.0 has no null type). */
const JSON_VALUE = [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object' }];

@ApiSchema({ description: 'A value that changed between two scans.' })
export class FieldChangeDto {
  @ApiProperty({ description: 'Which value changed', example: 'protection.requiredReviewCount' }) field: string;
  @ApiProperty({ description: 'Value in the previous scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) before: unknown;
  @ApiProperty({ description: 'Value in the latest scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) after: unknown;
  @ApiPropertyOptional({ enum: FindingSeverity, enumName: 'FindingSeverity', description: 'Set on changes that weaken security (made public, protection removed, new admin, ...)' }) severity?: FindingSeverity;
}

@ApiSchema({ description: 'A finding that appeared or disappeared.' })
export class DriftFindingDto {
  @ApiProperty({ description: 'A check of the provider, e.g. `branch_protection`', example: 'branch_protection' }) check: string;
  @ApiProperty({ description: 'How serious the finding is', enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty({ description: 'What is wrong' }) message: string;
}

@ApiSchema({ description: "One repository's changes between two scans." })
export class RepoDriftDto {
  @ApiProperty({ description: 'Repository full name (`owner/name`)', example: 'acme-org/api' }) repo: string;
  @ApiProperty({ enum: ['added', 'removed', 'renamed', 'changed'], description: 'Repositories are matched by GitHub id, so a rename is a rename, not a removal and an addition' }) kind: DriftKind;
  @ApiPropertyOptional({ example: 'acme-org/old-name', description: 'The name in the earlier scan (renames)' }) renamedFrom?: string;
  @ApiProperty({ description: 'Values that changed', type: [FieldChangeDto] }) changes: FieldChangeDto[];
  @ApiProperty({ description: 'New findings', type: [DriftFindingDto] }) findingsAdded: DriftFindingDto[];
  @ApiProperty({ description: 'Findings gone', type: [DriftFindingDto] }) findingsResolved: DriftFindingDto[];
}

@ApiSchema({ description: 'What changed between two completed scans.' })
export class ScanDriftDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The previous completed scan; null after the first scan' }) fromScanId: string | null;
  @ApiProperty({ description: 'The later scan', format: 'uuid' }) toScanId: string;
  @ApiProperty({ description: 'Repositories added', example: 1 }) added: number;
  @ApiProperty({ description: 'Repositories removed', example: 0 }) removed: number;
  @ApiProperty({ description: 'Repositories renamed', example: 1 }) renamed: number;
  @ApiProperty({ description: 'Repositories changed', example: 2 }) changed: number;
  @ApiProperty({ description: 'Per repository', type: [RepoDriftDto] }) repos: RepoDriftDto[];
}
