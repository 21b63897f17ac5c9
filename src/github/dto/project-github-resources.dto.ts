import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { IgnoresUnknownFields, IsOmittable } from '../../common/validation';

/*
 * The PostHog face's GitHub pickers, as PostHog/posthog posthog/api/integration.py declares them
 * (GitHubReposQuerySerializer, GitHubTeamsQuerySerializer, GitHubBranchesQuerySerializer and their responses).
 */

/** DRF's CharField trims surrounding whitespace before validating. */
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const MAX_SEARCH = 256;
/** DRF's IntegerField: decimal text becomes a number; anything else stays as sent and fails as "A valid integer is required." */
const integer = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*[-+]?\d{1,16}\s*$/.test(value) ? Number(value) : value);

/** `?search=&limit=&offset=` of github_repos and github_teams: limit 1..500 (default 100), offset ≥ 0. */
@ApiSchema({ description: '`?search=&limit=&offset=` of github_repos and github_teams: limit 1..500 (default 100), offset ≥ 0.' })
@IgnoresUnknownFields()
export class GithubPickerQueryDto {
  @ApiPropertyOptional({ description: 'Optional case-insensitive search (repositories: full name; teams: name or slug)', default: '' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_SEARCH)
  search: string = '';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Maximum number of items to return per request (max 500)' })
  @IsOmittable()
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Number of items to skip before returning results' })
  @IsOmittable()
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset: number = 0;
}

/** `?repo=owner/name&search=&limit=&offset=` of github_branches: limit 1..1000 (default 100). */
@ApiSchema({ description: '`?repo=owner/name&search=&limit=&offset=` of github_branches: limit 1..1000 (default 100).' })
@IgnoresUnknownFields()
export class GithubBranchesQueryDto {
  @ApiProperty({ description: 'Repository in owner/repo format', example: 'acme/api' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  repo: string;

  @ApiPropertyOptional({ description: 'Optional case-insensitive branch name search query', default: '' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_SEARCH)
  search: string = '';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Maximum number of branches to return' })
  @IsOmittable()
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Number of branches to skip' })
  @IsOmittable()
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset: number = 0;
}

/** `POST .../integrations/github/prepare_callback` (GitHubPrepareCallbackRequestSerializer). */
@ApiSchema({ description: '`POST .../integrations/github/prepare_callback` (GitHubPrepareCallbackRequestSerializer).' })
@IgnoresUnknownFields()
export class GithubPrepareCallbackDto {
  @ApiPropertyOptional({ description: 'Relative URL to redirect to after GitHub setup completes', example: '/project/settings' })
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  next?: string;

  @ApiPropertyOptional({ description: 'GitHub installation id being managed; binds the state so a callback cannot swap in another installation', example: '12345' })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  installation_id?: string;
}

@ApiSchema({ description: "A repository the project's GitHub installation reaches (PostHog's picker item)." })
export class GithubRepoDto {
  @ApiProperty({ description: 'GitHub repository numeric identifier', example: 1296269 }) id: number;
  @ApiProperty({ description: 'Repository short name (without the owner prefix)', example: 'api' }) name: string;
  @ApiProperty({ description: "Fully-qualified repository name as 'owner/repo'", example: 'acme/api' }) full_name: string;
  @ApiPropertyOptional({ description: 'Whether the repository is private' }) private?: boolean;
  @ApiPropertyOptional({ description: "The repository's default branch (e.g. 'main')" }) default_branch?: string;
  @ApiPropertyOptional({ description: 'Primary programming language GitHub detected for the repository', nullable: true, type: String }) language?: string | null;
  @ApiPropertyOptional({ description: 'ISO 8601 timestamp of the most recent push', nullable: true, type: String }) pushed_at?: string | null;
  @ApiPropertyOptional({ description: 'Whether the repository is archived' }) archived?: boolean;
  @ApiPropertyOptional({ description: 'Whether the GitHub App has write access to the contents (needed to open pull requests)' }) can_push?: boolean;
}

@ApiSchema({ description: 'One page of repositories for the picker.' })
export class GithubReposDto {
  @ApiProperty({ type: [GithubRepoDto], description: 'One page of the repositories the installation reaches, in GitHub order' }) repositories: GithubRepoDto[];
  @ApiProperty({ description: 'Whether more repositories are available beyond this page' }) has_more: boolean;
  @ApiProperty({ description: 'Total number of repositories matching the search query, across all pages' }) total: number;
}

@ApiSchema({ description: 'The repository cache after a refresh from GitHub.' })
export class GithubReposRefreshDto {
  @ApiProperty({ type: [GithubRepoDto], description: 'The refreshed repository cache' }) repositories: GithubRepoDto[];
  @ApiProperty({
    enum: ['connected', 'unavailable'],
    description: '`unavailable` when the App installation is uninstalled or suspended; `repositories` is then the last cached list',
  })
  installation_status: 'connected' | 'unavailable';
}

@ApiSchema({ description: 'A team of the installation organization.' })
export class GithubTeamDto {
  @ApiProperty({ description: 'GitHub team numeric identifier' }) id: number;
  @ApiProperty({ description: 'GitHub team slug', example: 'platform' }) slug: string;
  @ApiProperty({ description: 'GitHub team display name', example: 'Platform' }) name: string;
}

@ApiSchema({ description: 'One page of teams for the picker.' })
export class GithubTeamsDto {
  @ApiProperty({ type: [GithubTeamDto], description: 'GitHub teams of the installation organization (one page)' }) teams: GithubTeamDto[];
  @ApiProperty({ description: 'Whether more teams are available beyond this page' }) has_more: boolean;
}

@ApiSchema({ description: 'One page of branches of a repository.' })
export class GithubBranchesDto {
  @ApiProperty({ type: [String], description: 'Branch names, the default branch first' }) branches: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The default branch of the repository' }) default_branch: string | null;
  @ApiProperty({ description: 'Whether more branches exist beyond the returned page' }) has_more: boolean;
}
