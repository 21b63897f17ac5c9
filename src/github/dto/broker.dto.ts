import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CompiledBody, IgnoresUnknownFields, IsOmittable } from '../../common/validation';
import { GithubUserDto } from './github-user.dto';

@ApiSchema({ description: 'GitHub-style paging.' })
export class ListInstallationsQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ description: 'Items per page (at most 100)', minimum: 1, maximum: 100, default: 30 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(100) per_page?: number;
}

/** GitHub's list paging, as GitHub applies it: `per_page` above 100 is 100, a `page` below 1 is page 1, other fields are ignored. */
@ApiSchema({ description: "GitHub's list paging, as GitHub applies it: `per_page` above 100 is 100, a `page` below 1 is page 1, other fields are ignored." })
@IgnoresUnknownFields()
export class GithubPageQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, default: 1 })
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
@ApiSchema({ description: "GitHub's simple-user object for an installation's account (as GitHub last described it)." })
export class GithubAccountDto extends GithubUserDto {
  @ApiProperty({ description: 'GraphQL node id', example: 'MDEyOk9yZ2FuaXphdGlvbjE=' }) node_id: string;
}

/** GitHub's installation object (`installation` in GitHub's OpenAPI description); the URLs GitHub's clients follow point at the hub. */
@ApiSchema({ description: "GitHub's installation object (`installation` in GitHub's OpenAPI description); the URLs GitHub's clients follow point at the hub." })
export class InstallationDto {
  @ApiProperty({ description: 'GitHub installation id', example: 1 }) id: number;
  @ApiPropertyOptional({ description: "The App's client id", example: 'Iv1.ab1112223334445c' }) client_id?: string;
  @ApiProperty({ description: 'The account it is installed on', type: GithubAccountDto }) account: GithubAccountDto;
  @ApiProperty({ description: "Whether the installation reaches all of the account's repositories or selected ones", enum: ['all', 'selected'], enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiProperty({ example: 'https://hub.example.com/api/app/installations/1/access_tokens', description: 'Works with a hub key (integration:write)' })
  access_tokens_url: string;
  @ApiProperty({ example: 'https://hub.example.com/api/installation/repositories', description: 'Works with an installation token this hub minted, as on GitHub' })
  repositories_url: string;
  @ApiProperty({ description: 'Its settings page on GitHub', example: 'https://github.com/organizations/github/settings/installations/1' }) html_url: string;
  @ApiProperty({ description: "The App's id", example: 1 }) app_id: number;
  @ApiProperty({ description: "The App's slug", example: 'hub-app' }) app_slug: string;
  @ApiProperty({ description: 'Id of the account', example: 1 }) target_id: number;
  @ApiProperty({ description: 'Organization or User', example: 'Organization' }) target_type: string;
  @ApiProperty({ description: 'Permissions as GitHub names them, e.g. `{"contents": "read"}`', type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read', metadata: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ description: 'Webhook events the App receives', type: [String], example: ['push'] }) events: string[];
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', format: 'date-time' }) updated_at: string;
  @ApiProperty({ description: 'The single file the App may access, or null', type: String, nullable: true }) single_file_name: string | null;
  @ApiProperty({ description: 'Who suspended it, or null', type: GithubAccountDto, nullable: true }) suspended_by: GithubAccountDto | null;
  @ApiProperty({ description: 'When it was suspended, or null', type: String, format: 'date-time', nullable: true }) suspended_at: string | null;
}

/** How a token may be narrowed: GitHub's own request fields. */
@ApiSchema({ description: "How a token may be narrowed: GitHub's own request fields." })
export class TokenNarrowingDto {
  @ApiPropertyOptional({ type: [String], description: 'Repository names (at most 500 with repository_ids)' })
  @IsOmittable()
  @IsArray()
  @IsString({ each: true })
  repositories?: string[];
  @ApiPropertyOptional({ description: 'Repository ids to narrow the token to', type: [Number] }) @IsOmittable() @IsArray() @IsInt({ each: true }) repository_ids?: number[];
  @ApiPropertyOptional({ description: 'Permissions as GitHub names them, e.g. `{"contents": "read"}`', type: 'object', additionalProperties: { type: 'string', enum: ['read', 'write', 'admin'] }, example: { contents: 'read' } })
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
@ApiSchema({ description: 'How to narrow the minted token (all optional).' })
export class CreateAccessTokenDto extends TokenNarrowingDto {
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }], description: USER_ID_DESCRIPTION, example: '42' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(64)
  user_id?: string;
}

/** The same request on the GitHub face: unknown fields are ignored and the body is optional, as on GitHub. */
@ApiSchema({ description: 'How to narrow the minted token, on the GitHub face: unknown fields are ignored and the body is optional.' })
@IgnoresUnknownFields()
export class CreateInstallationAccessTokenDto extends CreateAccessTokenDto {}

/** A repository a token reaches: these fields, and with a narrowed token every other field of GitHub's repository object. */
@ApiSchema({ description: "A repository a token reaches: these fields, and with a narrowed token every other field of GitHub's repository object." })
export class TokenRepositoryDto {
  @ApiProperty({ description: 'Repository id' }) id: number;
  @ApiProperty({ description: 'GraphQL node id' }) node_id: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @ApiProperty({ description: '`owner/name`' }) full_name: string;
  @ApiProperty({ description: 'Whether it is private' }) private: boolean;
}

export enum RepositorySelection {
  All = 'all',
  Selected = 'selected',
}

@ApiSchema({ description: 'An installation access token, as GitHub returns it.' })
export class AccessTokenDto {
  @ApiProperty({ description: 'The installation access token (`ghs_...`)', example: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }) token: string;
  @ApiProperty({ description: 'When it expires (ISO 8601)', format: 'date-time' }) expires_at: string;
  @ApiProperty({ description: 'The user the token acts for, or null', type: GithubUserDto, nullable: true }) on_behalf_of: GithubUserDto | null;
  @ApiProperty({ description: 'Permissions as GitHub names them, e.g. `{"contents": "read"}`', type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ description: "Whether the installation reaches all of the account's repositories or selected ones", enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiPropertyOptional({ type: [TokenRepositoryDto], description: "When narrowed: GitHub's repository objects" }) repositories?: TokenRepositoryDto[];
}

@ApiSchema({ description: 'Identity request.' })
export class IdentityRequestDto {
  @ApiPropertyOptional({ description: 'Echoed back, for replay protection', example: 'abc123' }) @IsOmittable() @IsString() @MaxLength(256) nonce?: string;
}

@ApiSchema({ description: "The caller's linked GitHub user." })
export class IdentityDto {
  @ApiProperty({ description: 'The GitHub user', type: GithubUserDto }) user: GithubUserDto;
  @ApiProperty({ description: 'Where to list the repositories the user reaches' }) repositories_url: string;
}

@ApiSchema({ description: 'The repositories an installation reaches.' })
export class InstallationRepositoriesDto {
  @ApiProperty({ description: 'Total number of repositories' }) total_count: number;
  @ApiProperty({ description: "Whether the installation reaches all of the account's repositories or selected ones", enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiProperty({ description: 'The repositories', type: [TokenRepositoryDto] }) repositories: TokenRepositoryDto[];
}

/** `GET /installation/repositories` as GitHub answers it (passed through from GitHub). */
@ApiSchema({ description: '`GET /installation/repositories` as GitHub answers it (passed through from GitHub).' })
export class GithubInstallationRepositoriesDto {
  @ApiProperty({ description: 'Total number of repositories' }) total_count: number;
  @ApiPropertyOptional({ description: "Whether the installation reaches all of the account's repositories or selected ones", enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection?: string;
  @ApiProperty({ type: [TokenRepositoryDto], description: "GitHub's repository objects" }) repositories: TokenRepositoryDto[];
}
