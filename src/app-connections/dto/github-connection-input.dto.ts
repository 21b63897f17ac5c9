import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Equals, IsEnum, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { IgnoresUnknownFields, IsOmittable } from '../../common/validation';
import { AppConnectionMethod, GithubInstanceType } from '../app-connection.enums';

/*
 * The request shapes of Infisical's GitHub connections, rule for rule and message for message, from
 * Infisical/infisical backend/src/services/app-connection/github/github-connection-schemas.ts,
 * backend/src/services/app-connection/app-connection-schemas.ts (GenericCreate/UpdateAppConnectionFieldsSchema)
 * and backend/src/server/lib/schemas.ts (slugSchema). Like zod objects, they drop unknown fields.
 */

/** What `slugify(v, { lowercase: true }) === v` accepts: lowercase letters and digits joined by single hyphens (or nothing). */
const SLUG = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/;
/** `hostname[:port]`, no scheme, path or credentials (the hub's own rule: a GitHub Enterprise Server host). */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i;

/** zod's `.trim()`: strings are trimmed before any rule; other types are left for the type rule to refuse. */
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Infisical's `slugSchema({ field: "name" })`: trimmed, 1 to 64 characters, slug-friendly. */
const ConnectionName = () =>
  applyDecorators(
    Trim(),
    IsString(),
    MinLength(1, { message: 'name field must be at least 1 lowercase character' }),
    MaxLength(64, { message: 'name field must be at most 64 lowercase characters' }),
    Matches(SLUG, { message: 'name field can only contain lowercase letters, numbers, and hyphens', context: { zod: 'custom' } }),
  );

const Description = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 256, description: 'An optional description (trimmed)' }),
    Trim(),
    IsOptional(),
    IsString(),
    MaxLength(256, { message: 'Description cannot exceed 256 characters' }),
  );

/** `z.literal(false).optional()` with Infisical's message: GitHub connections never have platform-managed credentials. */
const NotPlatformManaged = () =>
  applyDecorators(
    ApiPropertyOptional({ type: Boolean, enum: [false], description: 'Not supported for GitHub Connections: only `false` is accepted' }),
    IsOptional(),
    Equals(false, { message: 'Not supported for GitHub Connections' }),
  );

const GatewayId = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A gateway configured on the hub (`GATEWAYS`)' }),
    IsOptional(),
    IsUUID('all', { message: 'Invalid uuid' }),
  );

/** `host`: required (non-empty, a host name) for a server instance; optional and unused for cloud, as upstream accepts it. */
const Host = () =>
  applyDecorators(
    ApiPropertyOptional({ example: 'github.example.com', description: 'GitHub Enterprise Server host (`hostname[:port]`), required when instanceType is `server`; ignored for `cloud`' }),
    Trim(),
    ValidateIf((o: { instanceType?: string; host?: unknown }) => o.instanceType === GithubInstanceType.Server || o.host !== undefined),
    IsString(),
    ValidateBy({
      name: 'serverHost',
      validator: {
        validate: (value: unknown, args) => (args?.object as { instanceType?: string }).instanceType !== GithubInstanceType.Server || (typeof value === 'string' && value.length > 0),
        defaultMessage: () => 'Host is required for server instance type',
      },
    }),
    ValidateBy({
      name: 'hostName',
      validator: {
        validate: (value: unknown, args) =>
          (args?.object as { instanceType?: string }).instanceType !== GithubInstanceType.Server || (typeof value === 'string' && (value === '' || HOST_PATTERN.test(value))),
        defaultMessage: () => 'host must be a host name with an optional port',
      },
    }),
  );

const InstanceType = () =>
  applyDecorators(
    ApiPropertyOptional({ description: '`cloud` (github.com, the default) or `server` (GitHub Enterprise Server at `host`)', enum: GithubInstanceType, enumName: 'GithubInstanceType', default: GithubInstanceType.Cloud }),
    IsOptional(),
    IsEnum(GithubInstanceType),
  );

/** `github-app` credentials: the code GitHub returned to the setup URL (exchanged once, never kept) and the installation. */
@ApiSchema({ description: '`github-app` credentials: the code GitHub returned to the setup URL (exchanged once, never kept) and the installation.' })
export class GithubAppCredentialsInputDto {
  @ApiProperty({ minLength: 1, description: 'The OAuth code GitHub returned to the setup URL; exchanged once, never stored' })
  @Trim()
  @IsString()
  @MinLength(1, { message: 'GitHub App code required' })
  code: string;

  @ApiProperty({ minLength: 1, example: '12345678', description: 'The GitHub App installation id; the user behind the code must see it' })
  @IsString()
  @MinLength(1, { message: 'GitHub App Installation ID required' })
  installationId: string;

  @InstanceType() instanceType?: GithubInstanceType;
  @Host() host?: string;
}

/** `oauth` credentials: a user OAuth code for the hub's GitHub App; the user token it yields is kept sealed. */
@ApiSchema({ description: "`oauth` credentials: a user OAuth code for the hub's GitHub App; the user token it yields is kept sealed." })
export class GithubOAuthCredentialsInputDto {
  @ApiProperty({ minLength: 1, description: "A user authorization code for the hub's GitHub App (`oauthClientId` in the options); exchanged once" })
  @Trim()
  @IsString()
  @MinLength(1, { message: 'OAuth code required' })
  code: string;

  @InstanceType() instanceType?: GithubInstanceType;
  @Host() host?: string;
}

type CredentialsInput = GithubAppCredentialsInputDto | GithubOAuthCredentialsInputDto;

const CREDENTIALS_SCHEMA = { oneOf: [{ $ref: getSchemaPath(GithubAppCredentialsInputDto) }, { $ref: getSchemaPath(GithubOAuthCredentialsInputDto) }] };

@ApiSchema({ description: 'Body of a new GitHub Connection (Infisical): a name, the method and its credentials.' })
@ApiExtraModels(GithubAppCredentialsInputDto, GithubOAuthCredentialsInputDto)
@IgnoresUnknownFields()
export class CreateGithubConnectionDto {
  @ApiProperty({ enum: AppConnectionMethod, enumName: 'AppConnectionMethod', description: '`github-app` (an installation) or `oauth` (a user token); selects the credentials shape' })
  @IsEnum(AppConnectionMethod, { context: { zod: 'invalid_union_discriminator' } })
  method: AppConnectionMethod;

  @ApiProperty({ ...CREDENTIALS_SCHEMA, description: 'The credentials of the chosen method' })
  @IsObject()
  @ValidateNested()
  // Like zod's discriminated union on `method`: the method picks the credentials' rules.
  @Type((options) => ((options?.object as { method?: unknown } | undefined)?.method === AppConnectionMethod.OAuth ? GithubOAuthCredentialsInputDto : GithubAppCredentialsInputDto))
  credentials: CredentialsInput;

  @ApiProperty({ minLength: 1, maxLength: 64, example: 'my-github-connection', description: 'Slug-friendly name (trimmed first), unique per organization and project' })
  @ConnectionName()
  name: string;

  @Description() description?: string | null;

  @ApiPropertyOptional({ description: 'The project to create the connection in (an unknown id is a 400)' })
  @IsOptional()
  @IsString()
  projectId?: string;

  @NotPlatformManaged() isPlatformManagedCredentials?: false;
  @GatewayId() gatewayId?: string | null;
}

@ApiSchema({ description: 'Changes to a GitHub Connection; omitted fields keep their value.' })
@ApiExtraModels(GithubAppCredentialsInputDto, GithubOAuthCredentialsInputDto)
@IgnoresUnknownFields()
export class UpdateGithubConnectionDto {
  @ApiPropertyOptional({ minimum: 1, example: 3, description: 'Update only if the connection is still at this version (409 otherwise); the If-Match header does the same' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ description: 'New name, unique in its scope', minLength: 1, maxLength: 64 })
  // `.optional()`, not `.nullish()`: absent keeps the name, null is a wrong type.
  @ValidateIf((o: { name?: unknown }) => o.name !== undefined)
  @ConnectionName()
  name?: string;

  @Description() description?: string | null;

  @ApiPropertyOptional({ ...CREDENTIALS_SCHEMA, description: "New credentials, in the shape of the connection's method" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  // The connection's method is only known once it is read: credentials naming an installation are a GitHub App's.
  @Type((options) => {
    const credentials = (options?.object as { credentials?: unknown } | undefined)?.credentials;
    return credentials && typeof credentials === 'object' && !('installationId' in credentials) ? GithubOAuthCredentialsInputDto : GithubAppCredentialsInputDto;
  })
  credentials?: CredentialsInput;

  @NotPlatformManaged() isPlatformManagedCredentials?: false;
  @GatewayId() gatewayId?: string | null;
}

@ApiSchema({ description: 'The connection id in the path.' })
@IgnoresUnknownFields()
export class ConnectionIdParamDto {
  @ApiProperty({ description: 'The connection id', format: 'uuid' })
  @IsUUID('all', { message: 'Invalid uuid' })
  connectionId: string;
}

@ApiSchema({ description: 'The connection name in the path.' })
@IgnoresUnknownFields()
export class ConnectionNameParamDto {
  @ApiProperty({ description: 'The connection name', example: 'my-github-connection', minLength: 1 })
  @Trim()
  @IsString()
  @MinLength(1, { message: 'Connection name required' })
  connectionName: string;
}

@ApiSchema({ description: 'Optional project filter.' })
@IgnoresUnknownFields()
export class ProjectFilterQueryDto {
  @ApiPropertyOptional({ description: "Only this project's connections (an unknown project has none)" })
  @Trim()
  @IsOptional()
  @IsString()
  projectId?: string;
}
