import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { DriftKind } from '../scan-drift';
import { FindingSeverity, RepoResultStatus, ScanStatus } from '../scan.enums';
import { IsOmittable } from '../../common/validation';

export class ScanCostDto {
  @ApiProperty({ example: 100 }) graphqlRequests: number;
  @ApiProperty({ example: 2400, description: "GraphQL points, as GitHub reports each query's cost (rateLimit.cost)" }) graphqlPoints: number;
  @ApiProperty({ example: 4, description: 'REST calls that counted against the rate limit' }) restCalls: number;
  @ApiProperty({ example: 200, description: 'Conditional REST calls GitHub answered 304 (free of rate limit)' }) restNotModified: number;
  @ApiPropertyOptional({ example: 0, description: 'Of the REST calls and 304s, those made per repository (webhooks, when the installation may read them): outside the bulk first pass' }) restPerRepository?: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { graphql: 2600, core: 4990 }, description: "Budget left per resource, from GitHub's last x-ratelimit-remaining header" }) remaining: Record<string, number>;
}

export class ScanProgressDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The scan reported on; null when the organization was never scanned' }) scanId: string | null;
  @ApiProperty({ enum: ScanStatus, enumName: 'ScanStatus', example: ScanStatus.Scanning }) status: ScanStatus;
  @ApiProperty({ minimum: 0, maximum: 100, example: 65 }) progress: number;
  @ApiProperty({ example: 42 }) reposScanned: number;
  @ApiProperty({ example: 64 }) reposTotal: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-04-30T08:00:00Z' }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ example: 'The repositories of acme could not be read' }) error?: string;
  @ApiPropertyOptional({ type: ScanCostDto, description: "What the scan has cost so far, in GitHub's rate-limit terms" }) githubCost?: ScanCostDto;
}

export class ScanStatusDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastCompletedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) lastScanId: string | null;
  @ApiProperty({ enum: ScanStatus, enumName: 'ScanStatus', description: 'Status of the most recent scan (idle when none)' }) status: ScanStatus;
}

export class InstallationPermissionsDto {
  @ApiProperty({ example: '12345678' }) installationId: string;
  @ApiProperty({ example: 'acme-org' }) accountLogin: string;
  @ApiProperty() sufficient: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { metadata: 'read', contents: 'read' } }) granted: Record<string, string>;
  @ApiProperty({ type: [String], example: ['administration'] }) missing: string[];
}

export class ScanPermissionsDto {
  @ApiProperty({ description: 'Every connected installation grants every required permission' }) sufficient: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { metadata: 'read', contents: 'read', administration: 'read' } }) required: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Permissions granted by every installation, at the lowest level any grants' }) granted: Record<string, string>;
  @ApiProperty({ type: [String], example: ['administration'] }) missing: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Read when granted (vulnerability alerts, admin teams and owners, secret scanning alerts, organization settings and Actions defaults, repository webhooks); their absence is not a failure', example: { vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read', organization_administration: 'read', repository_hooks: 'read' } }) optional: Record<string, string>;
  @ApiProperty({ type: [InstallationPermissionsDto] }) installations: InstallationPermissionsDto[];
}

export class ScanCacheInvalidatedDto {
  @ApiProperty({ example: true }) invalidated: boolean;
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

export class ScanResultsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
  @ApiPropertyOptional({ description: 'Repository, as owner/name or name', example: 'acme-org/api' }) @IsOmittable() @IsString() @MaxLength(255) repo?: string;
  @ApiPropertyOptional({ description: 'Check id', example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ enum: FindingSeverity, enumName: 'FindingSeverity' }) @IsOmittable() @IsEnum(FindingSeverity) severity?: FindingSeverity;
  @ApiPropertyOptional({ enum: SuppressedFilter, enumName: 'SuppressedFilter', default: SuppressedFilter.Include, description: 'Findings accepted by an active acknowledgement or exemption: listed (marked), left out, or alone' })
  @IsOmittable()
  @IsEnum(SuppressedFilter)
  suppressed?: SuppressedFilter;
  @ApiPropertyOptional({ enum: ScanResultsFormat, enumName: 'ScanResultsFormat', description: 'sarif (SARIF 2.1.0) and csv hold every matching finding, not a page; `Accept: application/sarif+json` or `text/csv` do the same' })
  @IsOmittable()
  @IsEnum(ScanResultsFormat)
  format?: ScanResultsFormat;
}

export class ScanInventoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
}

export class FindingSuppressionDto {
  @ApiProperty({ enum: ['acknowledgement', 'exemption'] }) kind: 'acknowledgement' | 'exemption';
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
}

export class InventoryRepoDto {
  @ApiProperty({ example: 'acme-org/api' }) repo: string;
  @ApiProperty({ example: '123456', description: "GitHub's repository id" }) repositoryId: string;
  @ApiProperty({ example: '12345678' }) installationId: string;
  @ApiProperty({ enum: RepoResultStatus, enumName: 'RepoResultStatus' }) status: RepoResultStatus;
  @ApiProperty({ example: 2, description: 'Findings on the repository (accepted ones included)' }) findings: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the scan recorded: visibility, protection, rulesets, admins, files, alerts, ...' }) snapshot: Record<string, unknown>;
}

export class ScanInventoryDto {
  @ApiProperty({ format: 'uuid' }) scanId: string;
  @ApiProperty({ type: String, format: 'date-time' }) completedAt: string;
  @ApiProperty({ type: [InventoryRepoDto] }) repos: InventoryRepoDto[];
  @ApiProperty({ example: 64 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 100 }) per_page: number;
}

export class ScanFindingDto {
  @ApiProperty({ example: 'acme-org/api' }) repo: string;
  @ApiProperty({ example: 'branch_protection' }) check: string;
  @ApiProperty({ enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty({ example: "Default branch 'main' is not protected" }) message: string;
  @ApiProperty({ enum: RepoResultStatus, enumName: 'RepoResultStatus', description: 'Whether everything about the repository could be read' }) repoStatus: RepoResultStatus;
  @ApiPropertyOptional({ type: FindingSuppressionDto, description: 'Present when an active acknowledgement or exemption accepts the finding' }) suppression?: FindingSuppressionDto;
}

export class ScanResultsDto {
  @ApiProperty({ format: 'uuid' }) scanId: string;
  @ApiProperty({ type: String, format: 'date-time' }) completedAt: string;
  @ApiProperty({ type: [ScanFindingDto] }) results: ScanFindingDto[];
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 100 }) per_page: number;
}

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

export class FieldChangeDto {
  @ApiProperty({ example: 'protection.requiredReviewCount' }) field: string;
  @ApiProperty({ description: 'Value in the previous scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) before: unknown;
  @ApiProperty({ description: 'Value in the latest scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) after: unknown;
  @ApiPropertyOptional({ enum: FindingSeverity, enumName: 'FindingSeverity', description: 'Set on changes that weaken security (made public, protection removed, new admin, ...)' }) severity?: FindingSeverity;
}

export class DriftFindingDto {
  @ApiProperty({ example: 'branch_protection' }) check: string;
  @ApiProperty({ enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty() message: string;
}

export class RepoDriftDto {
  @ApiProperty({ example: 'acme-org/api' }) repo: string;
  @ApiProperty({ enum: ['added', 'removed', 'renamed', 'changed'], description: 'Repositories are matched by GitHub id, so a rename is a rename, not a removal and an addition' }) kind: DriftKind;
  @ApiPropertyOptional({ example: 'acme-org/old-name', description: 'The name in the earlier scan (renames)' }) renamedFrom?: string;
  @ApiProperty({ type: [FieldChangeDto] }) changes: FieldChangeDto[];
  @ApiProperty({ type: [DriftFindingDto] }) findingsAdded: DriftFindingDto[];
  @ApiProperty({ type: [DriftFindingDto] }) findingsResolved: DriftFindingDto[];
}

export class ScanDriftDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The previous completed scan; null after the first scan' }) fromScanId: string | null;
  @ApiProperty({ format: 'uuid' }) toScanId: string;
  @ApiProperty({ example: 1 }) added: number;
  @ApiProperty({ example: 0 }) removed: number;
  @ApiProperty({ example: 1 }) renamed: number;
  @ApiProperty({ example: 2 }) changed: number;
  @ApiProperty({ type: [RepoDriftDto] }) repos: RepoDriftDto[];
}
