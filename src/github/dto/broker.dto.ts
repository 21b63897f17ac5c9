import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CompiledBody, IgnoresUnknownFields, IsOmittable } from '../../common/validation';
import { GithubUserDto } from './github-user.dto';

export class ListInstallationsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(100) per_page?: number;
}

/** GitHub's list paging, as GitHub applies it: `per_page` above 100 is 100, a `page` below 1 is page 1, other fields are ignored. */
@IgnoresUnknownFields()
export class GithubPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @Transform(({ value }) => clampInt(value, 1, Number.MAX_SAFE_INTEGER, 1))
  @IsInt()
  page: number = 1;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30, description: 'Values above 100 are 100' })
  @Transform(({ value }) => clampInt(value, 1, 100, 30))
  @IsInt()
  per_page: number = 30;
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = Math.trunc(Number(value));
  if (value === undefined || value === '' || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

/** GitHub's simple-user object for an installation's account (as GitHub last described it). */
export class GithubAccountDto extends GithubUserDto {
  @ApiProperty({ example: 'MDEyOk9yZ2FuaXphdGlvbjE=' }) node_id: string;
}

/** GitHub's installation object (`installation` in GitHub's OpenAPI description); the URLs GitHub's clients follow point at the hub. */
export class InstallationDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiPropertyOptional({ example: 'Iv1.ab1112223334445c' }) client_id?: string;
  @ApiProperty({ type: GithubAccountDto }) account: GithubAccountDto;
  @ApiProperty({ enum: ['all', 'selected'], enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiProperty({ example: 'https://hub.example.com/api/app/installations/1/access_tokens', description: 'Works with a hub key (integration:write)' })
  access_tokens_url: string;
  @ApiProperty({ example: 'https://hub.example.com/api/installation/repositories', description: 'Works with an installation token this hub minted, as on GitHub' })
  repositories_url: string;
  @ApiProperty({ example: 'https://github.com/organizations/github/settings/installations/1' }) html_url: string;
  @ApiProperty({ example: 1 }) app_id: number;
  @ApiProperty({ example: 'hub-app' }) app_slug: string;
  @ApiProperty({ example: 1 }) target_id: number;
  @ApiProperty({ example: 'Organization' }) target_type: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read', metadata: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ type: [String], example: ['push'] }) events: string[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ type: String, nullable: true }) single_file_name: string | null;
  @ApiProperty({ type: GithubAccountDto, nullable: true }) suspended_by: GithubAccountDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspended_at: string | null;
}

/** How a token may be narrowed: GitHub's own request fields. */
export class TokenNarrowingDto {
  @ApiPropertyOptional({ type: [String], description: 'Repository names (at most 500 with repository_ids)' })
  @IsOmittable()
  @IsArray()
  @IsString({ each: true })
  repositories?: string[];
  @ApiPropertyOptional({ type: [Number] }) @IsOmittable() @IsArray() @IsInt({ each: true }) repository_ids?: number[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', enum: ['read', 'write', 'admin'] }, example: { contents: 'read' } })
  @IsOmittable()
  @IsObject()
  permissions?: Record<string, string>;
}

const USER_ID_DESCRIPTION =
  'On whose behalf the token is requested, answered in on_behalf_of: a GitHub user id (string or number, as in GitHub\'s example) linked in ' +
  'this organization, or a hub user id (uuid) with a linked GitHub account; 404 otherwise';

/**
 * The mint is the broker's hot path: its body is checked by a compiled schema first (`@CompiledBody`, a subset of
 * the rules below and above; anything else goes through class-validator for its exact 400).
 */
@CompiledBody({
  repositories: { type: 'array', items: { type: 'string' } },
  repository_ids: { type: 'array', items: { type: 'integer' } },
  permissions: { type: 'object' },
  // A number becomes its string (the @Transform below); a string counts code points, which is at least what @MaxLength counts.
  user_id: { type: ['string', 'number'], maxLength: 64 },
})
export class CreateAccessTokenDto extends TokenNarrowingDto {
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }], description: USER_ID_DESCRIPTION, example: '42' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(64)
  user_id?: string;
}

/** The same request on the GitHub face: unknown fields are ignored and the body is optional, as on GitHub. */
@IgnoresUnknownFields()
export class CreateInstallationAccessTokenDto extends CreateAccessTokenDto {}

/** A repository a token reaches: these fields, and with a narrowed token every other field of GitHub's repository object. */
export class TokenRepositoryDto {
  @ApiProperty() id: number;
  @ApiProperty() node_id: string;
  @ApiProperty() name: string;
  @ApiProperty() full_name: string;
  @ApiProperty() private: boolean;
}

export enum RepositorySelection {
  All = 'all',
  Selected = 'selected',
}

export class AccessTokenDto {
  @ApiProperty({ example: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }) token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: GithubUserDto, nullable: true }) on_behalf_of: GithubUserDto | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiPropertyOptional({ type: [TokenRepositoryDto], description: "When narrowed: GitHub's repository objects" }) repositories?: TokenRepositoryDto[];
}

export class IdentityRequestDto {
  @ApiPropertyOptional({ example: 'abc123' }) @IsOmittable() @IsString() @MaxLength(256) nonce?: string;
}

export class IdentityDto {
  @ApiProperty({ type: GithubUserDto }) user: GithubUserDto;
  @ApiProperty() repositories_url: string;
}

export class InstallationRepositoriesDto {
  @ApiProperty() total_count: number;
  @ApiProperty({ enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiProperty({ type: [TokenRepositoryDto] }) repositories: TokenRepositoryDto[];
}

/** `GET /installation/repositories` as GitHub answers it (passed through from GitHub). */
export class GithubInstallationRepositoriesDto {
  @ApiProperty() total_count: number;
  @ApiPropertyOptional({ enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection?: string;
  @ApiProperty({ type: [TokenRepositoryDto], description: "GitHub's repository objects" }) repositories: TokenRepositoryDto[];
}
