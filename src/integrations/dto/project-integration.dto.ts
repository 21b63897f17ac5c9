import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsInt, IsObject } from 'class-validator';
import { IgnoresUnknownFields, IsOmittable } from '../../common/validation';
import { IntegrationProvider } from '../integration.enums';

/** PostHog's `UserBasicSerializer` subset: who created the integration. */
@ApiSchema({ description: "PostHog's `UserBasicSerializer` subset: who created the integration." })
export class ProjectIntegrationUserDto {
  @ApiProperty({ format: 'uuid', description: "The user's id (the hub's users have uuids; PostHog's integer id is not available)" }) id: string;
  @ApiProperty({ description: "The user's id", format: 'uuid' }) uuid: string;
  @ApiProperty({ format: 'uuid', description: "The user's distinct id (their uuid)" }) distinct_id: string;
  @ApiProperty({ description: 'First name', example: 'Ada' }) first_name: string;
  @ApiProperty({ description: 'Last name', example: 'Lovelace' }) last_name: string;
  @ApiProperty({ description: 'Email address', example: 'ada@example.com' }) email: string;
}

/** PostHog's integration body. */
@ApiSchema({ description: "PostHog's integration body." })
export class ProjectIntegrationDto {
  @ApiProperty({
    example: '7300112233445566778',
    description:
      "The integration's id: a 64-bit snowflake, sent as a decimal string because it exceeds 2^53 (PostHog's is a small integer; a typed PostHog client reading it as a number must read a string)",
  })
  id: string;
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) kind: IntegrationProvider;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Non-secret configuration' }) config: Record<string, unknown>;
  @ApiProperty({ description: 'When it was created', type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: ProjectIntegrationUserDto, nullable: true, description: 'Who created it (null when created by the hub itself or the user is gone)' })
  created_by: ProjectIntegrationUserDto | null;
  @ApiProperty({ description: 'Empty when healthy', example: '' }) errors: string;
  @ApiProperty({ description: 'Human name (account, workspace or domain)', example: 'example.com' }) display_name: string;
  @ApiProperty({ description: 'Slack only: whether reconnecting can request the files:write scope (the hub never asks for it: false)' }) files_write_requestable: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: "GitHub only, null otherwise: whether another integration (another project's) references the same App installation",
  })
  installation_shared: boolean | null;
  @ApiProperty({
    type: String,
    enum: ['connected', 'unavailable'],
    nullable: true,
    description: 'GitHub only, null otherwise: `unavailable` when the App was uninstalled or suspended and no tokens are minted for it',
  })
  installation_status: 'connected' | 'unavailable' | null;
}

@ApiSchema({ description: "One page of the project's integrations, PostHog-shaped." })
export class ProjectIntegrationListDto {
  @ApiProperty({ description: 'How many integrations match, across all pages' }) count: number;
  @ApiProperty({ type: String, nullable: true, format: 'uri', description: 'Absolute URL of the next page (DRF LimitOffsetPagination), null on the last' })
  next: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uri', description: 'Absolute URL of the previous page, null on the first' }) previous: string | null;
  @ApiProperty({ description: 'The items of this page', type: [ProjectIntegrationDto] }) results: ProjectIntegrationDto[];
}

export const POSTHOG_DEFAULT_LIMIT = 100;
export const POSTHOG_MAX_LIMIT = 1000;

/** Offsets beyond this are past every row anyway; the cap keeps them a plain integer for the database. */
const POSTHOG_MAX_OFFSET = 1_000_000_000;

/** DRF's `_positive_int`: a decimal integer ≥ 0 (≥ 1 when strict), else the fallback; capped at `cutoff`. */
function positiveInt(value: unknown, fallback: number, strict: boolean, cutoff: number): number {
  if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return fallback;
  const n = Number(value);
  if (strict && n === 0) return fallback;
  return Math.min(n, cutoff);
}

/**
 * DRF LimitOffsetPagination's query, as lenient as upstream: a limit that is not a positive integer is the default,
 * one above the maximum is the maximum, an offset that is not a non-negative integer is 0. Other parameters are
 * ignored, as Django ignores them.
 */
@ApiSchema({ description: "DRF LimitOffsetPagination's query, as lenient as upstream: a limit that is not a positive integer is the default, one above the maximum is the maximum, an offset that is not a non-negative integer is 0. Other parameters are ignored, as Django ignores them." })
@IgnoresUnknownFields()
export class ListProjectIntegrationsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: POSTHOG_MAX_LIMIT, default: POSTHOG_DEFAULT_LIMIT, description: 'Page size (invalid values fall back to the default, larger ones to the maximum)' })
  @Transform(({ value }: { value: unknown }) => positiveInt(value, POSTHOG_DEFAULT_LIMIT, true, POSTHOG_MAX_LIMIT))
  @IsInt()
  limit: number = POSTHOG_DEFAULT_LIMIT;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Items to skip (invalid values are 0)' })
  @Transform(({ value }: { value: unknown }) => positiveInt(value, 0, false, POSTHOG_MAX_OFFSET))
  @IsInt()
  offset: number = 0;

  @ApiPropertyOptional({ description: 'Only integrations of this kind', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) @IsOmittable() @IsEnum(IntegrationProvider) kind?: IntegrationProvider;
}

@ApiSchema({ description: 'Body of an integration created directly (PostHog): its kind and config.' })
@IgnoresUnknownFields()
export class CreateProjectIntegrationDto {
  @ApiProperty({ description: 'The provider (kinds without a browser flow)', enum: IntegrationProvider, enumName: 'IntegrationProvider', example: 'email' }) @IsEnum(IntegrationProvider) kind: IntegrationProvider;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'email: {domain | email (+ name, provider: ses), verify_token, dkim_tokens[3], mail_from_subdomain?, region}; discord: {webhook_url}; mantisbt: {url, token}; gitlab: {token}',
  })
  @IsObject()
  config: Record<string, unknown>;
}
