import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, MaxLength, Min, Max } from 'class-validator';
import { IntegrationProvider, IntegrationStatus } from '../integration.enums';
import { IsOmittable } from '../../common/validation';
import { IsInt64Id } from '../../common/int64-id';

export class WorkspaceIntegrationDto {
  @ApiProperty({ example: '7300112233445566778', description: 'Snowflake id (decimal string)' }) id: string;
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ example: 'acme-org' }) displayName: string;
  @ApiProperty({ enum: IntegrationStatus, enumName: 'IntegrationStatus' }) status: IntegrationStatus;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Null for workspace-level integrations' }) projectId: string | null;
  @ApiProperty({ type: String, nullable: true }) errors: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) connectedAt: string;
}

export class WorkspaceIntegrationListDto {
  @ApiProperty({ type: [WorkspaceIntegrationDto] }) integrations: WorkspaceIntegrationDto[];
}

/** Connect body: each provider reads its own fields (GitHub installationId/accountLogin, token providers their credentials). */
export class ConnectIntegrationDto {
  @ApiPropertyOptional({ example: '12345678', description: 'GitHub App installation id' }) @IsOmittable() @IsString() @MaxLength(32) installationId?: string;
  @ApiPropertyOptional({ example: 'acme-org', description: 'GitHub account login' }) @IsOmittable() @IsString() @MaxLength(255) accountLogin?: string;
  @ApiPropertyOptional({ description: 'API token (GitLab personal/group token, MantisBT API token)' }) @IsOmittable() @IsString() @MaxLength(512) token?: string;
  @ApiPropertyOptional({ description: 'Provider base URL (MantisBT)', example: 'https://mantis.example.com' }) @IsOmittable() @IsString() @MaxLength(2048) url?: string;
  @ApiPropertyOptional({ description: 'Incoming webhook URL (Discord)' }) @IsOmittable() @IsString() @MaxLength(2048) webhook_url?: string;
  @ApiPropertyOptional({ description: 'OAuth providers: relative path to return to after the flow' }) @IsOmittable() @IsString() @MaxLength(2048) next?: string;
  @ApiPropertyOptional({ description: 'Email: sender domain' }) @IsOmittable() @IsString() @MaxLength(253) domain?: string;
  @ApiPropertyOptional({ description: 'Email: verification token' }) @IsOmittable() @IsString() @MaxLength(256) verify_token?: string;
  @ApiPropertyOptional({ description: 'Email: three DKIM tokens', type: [String] }) @IsOmittable() @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) dkim_tokens?: string[];
  @ApiPropertyOptional({ description: 'Email: MAIL FROM subdomain' }) @IsOmittable() @IsString() @MaxLength(63) mail_from_subdomain?: string;
  @ApiPropertyOptional({ description: 'Email: sending region', example: 'us-east-1' }) @IsOmittable() @IsString() @MaxLength(32) region?: string;
}

export class ConnectResultDto {
  @ApiProperty({ description: 'False when the provider needs the browser flow: follow authorizeUrl' }) connected: boolean;
  @ApiPropertyOptional({ type: WorkspaceIntegrationDto }) integration?: WorkspaceIntegrationDto;
  @ApiPropertyOptional({ description: 'OAuth providers: where to send the user' }) authorizeUrl?: string;
}

export class DisconnectIntegrationDto {
  @ApiPropertyOptional({ description: 'Only this integration; otherwise every integration of the provider in the workspace' })
  @IsOmittable() @IsInt64Id('integrationId must be a snowflake id')
  integrationId?: string;
}

export class DisconnectResultDto {
  @ApiProperty({ type: [String], description: 'Ids of the integrations disconnected' }) disconnected: string[];
  @ApiProperty({ type: [String], description: 'Ids of the policies disabled because they depend on them' }) disabledPolicies: string[];
}

export class CapabilityDto {
  @ApiProperty({ example: 'branch_protection' }) id: string;
  @ApiProperty({ example: 'Branch protection' }) name: string;
  @ApiProperty() description: string;
}

export class ChecksDto {
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ type: [CapabilityDto] }) checks: CapabilityDto[];
}

export class ActionsDto {
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ type: [CapabilityDto] }) actions: CapabilityDto[];
}

export class IntegrationSelectorQueryDto {
  @ApiPropertyOptional({ description: 'Which integration of the provider; default the first connected one' })
  @IsOmittable() @IsInt64Id('integrationId must be a snowflake id')
  integrationId?: string;
}

export class RepoQueryDto extends IntegrationSelectorQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 30, description: 'Capped at 100' }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) per_page?: number;
  @ApiPropertyOptional({ example: 'api' }) @IsOmittable() @IsString() @MaxLength(200) search?: string;
}

export class RepoDto {
  @ApiProperty({ example: 'repo_123' }) id: string;
  @ApiProperty({ example: 'acme/api' }) name: string;
  @ApiProperty() private: boolean;
}

export class RepoListDto {
  @ApiProperty({ type: [RepoDto] }) repos: RepoDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() per_page: number;
}

export class HealthDto {
  @ApiProperty() healthy: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) checkedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
}
