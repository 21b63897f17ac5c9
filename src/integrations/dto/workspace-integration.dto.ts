import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, MaxLength, Min, Max } from 'class-validator';
import { IntegrationProvider, IntegrationStatus } from '../integration.enums';
import { IsOmittable } from '../../common/validation';
import { IsInt64Id } from '../../common/int64-id';

@ApiSchema({ description: 'A workspace-level integration, TinyOps-shaped.' })
export class WorkspaceIntegrationDto {
  @ApiProperty({ example: '7300112233445566778', description: 'Snowflake id (decimal string)' }) id: string;
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ description: 'Account, workspace or site name', example: 'acme-org' }) displayName: string;
  @ApiProperty({ description: 'connected, disconnected or error', enum: IntegrationStatus, enumName: 'IntegrationStatus' }) status: IntegrationStatus;
  @ApiProperty({ description: 'Whether it is active' }) enabled: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Null for workspace-level integrations' }) projectId: string | null;
  @ApiProperty({ description: 'Last error, e.g. why a refresh failed and to reconnect', type: String, nullable: true }) errors: string | null;
  @ApiProperty({ description: 'When it last synced', type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
  @ApiProperty({ description: 'When it was connected', type: String, format: 'date-time' }) connectedAt: string;
}

@ApiSchema({ description: "The workspace's integrations." })
export class WorkspaceIntegrationListDto {
  @ApiProperty({ description: 'The integrations', type: [WorkspaceIntegrationDto] }) integrations: WorkspaceIntegrationDto[];
}

/** Connect body: each provider reads its own fields (GitHub installationId/accountLogin, token providers their credentials). */
@ApiSchema({ description: 'Connect body: each provider reads its own fields (GitHub installationId/accountLogin, token providers their credentials).' })
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

@ApiSchema({ description: 'Outcome of a connect: the integration, or the URL to continue in a browser.' })
export class ConnectResultDto {
  @ApiProperty({ description: 'False when the provider needs the browser flow: follow authorizeUrl' }) connected: boolean;
  @ApiPropertyOptional({ description: 'The integration connected', type: WorkspaceIntegrationDto }) integration?: WorkspaceIntegrationDto;
  @ApiPropertyOptional({ description: 'OAuth providers: where to send the user' }) authorizeUrl?: string;
}

@ApiSchema({ description: 'Which integration of the provider to disconnect (all when omitted).' })
export class DisconnectIntegrationDto {
  @ApiPropertyOptional({ description: 'Only this integration; otherwise every integration of the provider in the workspace' })
  @IsOmittable() @IsInt64Id('integrationId must be a snowflake id')
  integrationId?: string;
}

@ApiSchema({ description: 'What a disconnect did.' })
export class DisconnectResultDto {
  @ApiProperty({ type: [String], description: 'Ids of the integrations disconnected' }) disconnected: string[];
  @ApiProperty({ type: [String], description: 'Ids of the policies disabled because they depend on them' }) disabledPolicies: string[];
}

@ApiSchema({ description: 'A check or action a provider supports.' })
export class CapabilityDto {
  @ApiProperty({ description: 'Identifier used in policies', example: 'branch_protection' }) id: string;
  @ApiProperty({ description: 'Display name', example: 'Branch protection' }) name: string;
  @ApiProperty({ description: 'What it checks or does' }) description: string;
}

@ApiSchema({ description: "A provider's checks." })
export class ChecksDto {
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ description: 'The checks', type: [CapabilityDto] }) checks: CapabilityDto[];
}

@ApiSchema({ description: "A provider's actions." })
export class ActionsDto {
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ description: 'The actions', type: [CapabilityDto] }) actions: CapabilityDto[];
}

@ApiSchema({ description: 'Which integration of the provider (the only one when omitted).' })
export class IntegrationSelectorQueryDto {
  @ApiPropertyOptional({ description: 'Which integration of the provider; default the first connected one' })
  @IsOmittable() @IsInt64Id('integrationId must be a snowflake id')
  integrationId?: string;
}

@ApiSchema({ description: 'Repository paging and search.' })
export class RepoQueryDto extends IntegrationSelectorQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 30, description: 'Capped at 100' }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) per_page?: number;
  @ApiPropertyOptional({ description: 'Only names containing this', example: 'api' }) @IsOmittable() @IsString() @MaxLength(200) search?: string;
}

@ApiSchema({ description: 'A repository or project at the provider.' })
export class RepoDto {
  @ApiProperty({ description: "Provider's id", example: 'repo_123' }) id: string;
  @ApiProperty({ description: 'Full name', example: 'acme/api' }) name: string;
  @ApiProperty({ description: 'Whether it is private' }) private: boolean;
}

@ApiSchema({ description: 'One page of repositories.' })
export class RepoListDto {
  @ApiProperty({ description: 'The repositories', type: [RepoDto] }) repos: RepoDto[];
  @ApiProperty({ description: 'Total number of items across all pages' }) total: number;
  @ApiProperty({ description: 'Page number, from 1' }) page: number;
  @ApiProperty({ description: 'Items per page' }) per_page: number;
}

@ApiSchema({ description: 'Outcome of a live credential check.' })
export class HealthDto {
  @ApiProperty({ description: 'Whether the provider accepted the credentials' }) healthy: boolean;
  @ApiProperty({ description: 'When the check ran', type: String, format: 'date-time' }) checkedAt: string;
  @ApiProperty({ description: 'What the provider answered (provider-specific)', type: 'object', additionalProperties: true }) details: Record<string, unknown>;
}
