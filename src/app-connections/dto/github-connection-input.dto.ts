import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { AppConnectionMethod, GithubInstanceType } from '../app-connection.enums';
import { IsOmittable } from '../../common/validation';
import { IsInt64Id } from '../../common/int64-id';

/** Infisical's slug rule for connection names. */
export const CONNECTION_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NAME_MESSAGE = 'name must be a lowercase slug (a-z, 0-9 and single dashes)';
/** `hostname[:port]`, no scheme, path or credentials. */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i;

export class GithubConnectionCredentialsInputDto {
  @ApiProperty({ description: 'The OAuth code GitHub returned to the setup URL; exchanged once, never stored' })
  @IsString()
  @Length(1, 512)
  code: string;

  @ApiProperty({ example: '12345678', description: 'The GitHub App installation id' })
  @IsInt64Id('installationId must be a numeric string')
  installationId: string;

  @ApiPropertyOptional({ enum: GithubInstanceType, enumName: 'GithubInstanceType', default: GithubInstanceType.Cloud })
  @IsOmittable()
  @IsEnum(GithubInstanceType)
  instanceType?: GithubInstanceType;

  @ApiPropertyOptional({ example: 'github.example.com', description: 'GitHub Enterprise Server host (required when instanceType is server)' })
  @ValidateIf((o: GithubConnectionCredentialsInputDto) => o.instanceType === GithubInstanceType.Server || o.host !== undefined)
  @IsString({ message: 'host is required when instanceType is "server"' })
  @Matches(HOST_PATTERN, { message: 'host must be a host name with an optional port' })
  host?: string;
}

export class CreateGithubConnectionDto {
  @ApiProperty({ enum: AppConnectionMethod, enumName: 'AppConnectionMethod' })
  @IsEnum(AppConnectionMethod)
  method: AppConnectionMethod;

  @ApiProperty({ type: GithubConnectionCredentialsInputDto })
  @ValidateNested()
  @Type(() => GithubConnectionCredentialsInputDto)
  credentials: GithubConnectionCredentialsInputDto;

  @ApiProperty({ minLength: 1, maxLength: 64, example: 'my-github-connection', description: 'Slug-friendly name, unique per organization and project' })
  @IsString()
  @Length(1, 64)
  @Matches(CONNECTION_NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'The project to create the connection in' })
  @IsOmittable()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ description: 'Not supported for GitHub Connections' })
  @IsOmittable()
  @IsBoolean()
  isPlatformManagedCredentials?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A gateway configured on the hub (GATEWAYS)' })
  @IsOptional()
  @IsUUID()
  gatewayId?: string | null;
}

export class UpdateGithubConnectionDto {
  @ApiPropertyOptional({ minimum: 1, example: 3, description: 'Update only if the connection is still at this version (409 otherwise); the If-Match header does the same' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOmittable()
  @IsString()
  @Length(1, 64)
  @Matches(CONNECTION_NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  description?: string | null;

  @ApiPropertyOptional({ type: GithubConnectionCredentialsInputDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => GithubConnectionCredentialsInputDto)
  credentials?: GithubConnectionCredentialsInputDto;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  gatewayId?: string | null;
}

export class ConnectionIdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() connectionId: string;
}

export class ConnectionNameParamDto {
  @ApiProperty({ example: 'my-github-connection' })
  @IsString()
  @Length(1, 64)
  @Matches(CONNECTION_NAME_PATTERN, { message: NAME_MESSAGE })
  connectionName: string;
}

export class ProjectFilterQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOmittable() @IsUUID() projectId?: string;
}
