import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsString, Max, MaxLength, Min } from 'class-validator';
import { GithubUserDto } from './github-user.dto';
import { IsOmittable } from '../../common/validation';

export class ListInstallationsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 }) @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(100) per_page?: number;
}

export class InstallationAccountDto {
  @ApiProperty({ example: 'github' }) login: string;
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'Organization' }) type: string;
  @ApiProperty() url: string;
  @ApiProperty() repos_url: string;
  @ApiProperty() html_url: string;
  @ApiProperty() avatar_url: string;
}

/** GitHub's installation object; the URLs point at the hub. */
export class InstallationDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ type: InstallationAccountDto }) account: InstallationAccountDto;
  @ApiProperty({ example: 'all' }) repository_selection: string;
  @ApiProperty({ example: 'https://hub.example.com/api/installations/1/access_tokens' }) access_tokens_url: string;
  @ApiProperty({ example: 'https://hub.example.com/api/installations/1/repositories' }) repositories_url: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspended_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
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

export class CreateAccessTokenDto extends TokenNarrowingDto {
  @ApiPropertyOptional({ description: 'Hub user on whose behalf the token is requested; answers their linked GitHub user in on_behalf_of', example: '42' })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  user_id?: string;
}

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
  @ApiPropertyOptional({ type: [TokenRepositoryDto] }) repositories?: TokenRepositoryDto[];
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

