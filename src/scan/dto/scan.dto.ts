import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { FindingSeverity, RepoResultStatus, ScanStatus } from '../scan.enums';
import { IsOmittable } from '../../common/validation';

export class ScanProgressDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The scan reported on; null when the organization was never scanned' }) scanId: string | null;
  @ApiProperty({ enum: ScanStatus, enumName: 'ScanStatus', example: ScanStatus.Scanning }) status: ScanStatus;
  @ApiProperty({ minimum: 0, maximum: 100, example: 65 }) progress: number;
  @ApiProperty({ example: 42 }) reposScanned: number;
  @ApiProperty({ example: 64 }) reposTotal: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-04-30T08:00:00Z' }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ example: 'The repositories of acme could not be read' }) error?: string;
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
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Read when granted (vulnerability alerts, admin teams, secret scanning alerts); their absence is not a failure', example: { vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read' } }) optional: Record<string, string>;
  @ApiProperty({ type: [InstallationPermissionsDto] }) installations: InstallationPermissionsDto[];
}

export class ScanCacheInvalidatedDto {
  @ApiProperty({ example: true }) invalidated: boolean;
  @ApiProperty({ example: 1, description: 'Installations whose cached pages were dropped' }) installations: number;
}

export class ScanResultsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
  @ApiPropertyOptional({ description: 'Repository, as owner/name or name', example: 'acme-org/api' }) @IsOmittable() @IsString() @MaxLength(255) repo?: string;
  @ApiPropertyOptional({ description: 'Check id', example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ enum: FindingSeverity, enumName: 'FindingSeverity' }) @IsOmittable() @IsEnum(FindingSeverity) severity?: FindingSeverity;
}

export class ScanFindingDto {
  @ApiProperty({ example: 'acme-org/api' }) repo: string;
  @ApiProperty({ example: 'branch_protection' }) check: string;
  @ApiProperty({ enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty({ example: "Default branch 'main' is not protected" }) message: string;
  @ApiProperty({ enum: RepoResultStatus, enumName: 'RepoResultStatus', description: 'Whether everything about the repository could be read' }) repoStatus: RepoResultStatus;
}

export class ScanResultsDto {
  @ApiProperty({ format: 'uuid' }) scanId: string;
  @ApiProperty({ type: String, format: 'date-time' }) completedAt: string;
  @ApiProperty({ type: [ScanFindingDto] }) results: ScanFindingDto[];
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 100 }) per_page: number;
}

/** Any JSON value; null is allowed on the string branch (OpenAPI 3.0 has no null type). */
const JSON_VALUE = [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object' }];

export class FieldChangeDto {
  @ApiProperty({ example: 'protection.requiredReviewCount' }) field: string;
  @ApiProperty({ description: 'Value in the previous scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) before: unknown;
  @ApiProperty({ description: 'Value in the latest scan (any JSON value, null when absent)', anyOf: JSON_VALUE }) after: unknown;
}

export class DriftFindingDto {
  @ApiProperty({ example: 'branch_protection' }) check: string;
  @ApiProperty({ enum: FindingSeverity, enumName: 'FindingSeverity' }) severity: FindingSeverity;
  @ApiProperty() message: string;
}

export class RepoDriftDto {
  @ApiProperty({ example: 'acme-org/api' }) repo: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) kind: 'added' | 'removed' | 'changed';
  @ApiProperty({ type: [FieldChangeDto] }) changes: FieldChangeDto[];
  @ApiProperty({ type: [DriftFindingDto] }) findingsAdded: DriftFindingDto[];
  @ApiProperty({ type: [DriftFindingDto] }) findingsResolved: DriftFindingDto[];
}

export class ScanDriftDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The previous completed scan; null after the first scan' }) fromScanId: string | null;
  @ApiProperty({ format: 'uuid' }) toScanId: string;
  @ApiProperty({ example: 1 }) added: number;
  @ApiProperty({ example: 0 }) removed: number;
  @ApiProperty({ example: 2 }) changed: number;
  @ApiProperty({ type: [RepoDriftDto] }) repos: RepoDriftDto[];
}
