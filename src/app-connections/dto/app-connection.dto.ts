import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AppConnectionApp, AppConnectionMethod, GithubInstanceType } from '../app-connection.enums';

/** The credentials as responses show them: never the code, a token or the installation id. */
@ApiSchema({ description: 'The credentials as responses show them: never the code, a token or the installation id.' })
export class RedactedGithubCredentialsDto {
  @ApiProperty({ description: 'github.com or GitHub Enterprise Server', enum: GithubInstanceType, enumName: 'GithubInstanceType' }) instanceType: GithubInstanceType;
  @ApiPropertyOptional({ description: 'GitHub Enterprise Server host, when not github.com', example: 'github.example.com' }) host?: string;
}

@ApiSchema({ description: 'The project a connection belongs to (Infisical calls projects workspaces).' })
export class AppConnectionProjectDto {
  @ApiProperty({ description: "The project's name" }) name: string;
  @ApiProperty({ description: "The project's id", format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Infisical project type (always `integrations` here)', example: 'integrations' }) type: string;
  @ApiProperty({ description: "The project's slug", example: 'default-project' }) slug: string;
}

@ApiSchema({ description: 'An app connection, Infisical-shaped; credentials are redacted.' })
export class AppConnectionDto {
  @ApiProperty({ description: 'Id of the connection', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Name, unique in its scope' }) name: string;
  @ApiProperty({ description: 'Free text', type: String, nullable: true }) description: string | null;
  @ApiProperty({ description: 'Increases on every change', example: 1 }) version: number;
  @ApiProperty({ description: 'The organization (hub id)', format: 'uuid' }) orgId: string;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Whether the credentials are managed by the platform (always false here)' }) isPlatformManagedCredentials: boolean;
  @ApiProperty({ description: 'Gateway the connection goes through, if any', type: String, format: 'uuid', nullable: true }) gatewayId: string | null;
  @ApiProperty({ description: 'The project it belongs to, or null for organization-level', type: String, format: 'uuid', nullable: true }) projectId: string | null;
  @ApiProperty({ description: 'HMAC-SHA256 of the canonical credentials; changes exactly when they change' }) credentialsHash: string;
  @ApiProperty({ description: 'The project it belongs to, or null', type: AppConnectionProjectDto, nullable: true }) project: AppConnectionProjectDto | null;
  @ApiProperty({ description: 'The app connected', enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ description: 'How it authenticates', enum: AppConnectionMethod, enumName: 'AppConnectionMethod' }) method: AppConnectionMethod;
  @ApiProperty({ description: 'The credentials, redacted', type: RedactedGithubCredentialsDto }) credentials: RedactedGithubCredentialsDto;
}

@ApiSchema({ description: 'One app connection, wrapped as Infisical does.' })
export class AppConnectionResponseDto {
  @ApiProperty({ description: 'The connection', type: AppConnectionDto }) appConnection: AppConnectionDto;
}

@ApiSchema({ description: 'App connections, wrapped as Infisical does.' })
export class AppConnectionListDto {
  @ApiProperty({ description: 'The connections', type: [AppConnectionDto] }) appConnections: AppConnectionDto[];
}

@ApiSchema({ description: 'An app this hub connects and the methods it supports.' })
export class AppConnectionOptionDto {
  @ApiProperty({ description: "The app's display name", example: 'GitHub' }) name: string;
  @ApiProperty({ description: 'The app', enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ description: 'Methods this hub supports for it', enum: AppConnectionMethod, enumName: 'AppConnectionMethod', isArray: true }) methods: AppConnectionMethod[];
  @ApiProperty({ type: String, nullable: true, example: 'Iv1.8a61f9b3a7aba766', description: 'The OAuth client id whose user codes the `oauth` method exchanges (the GitHub App\'s)' })
  oauthClientId: string | null;
  @ApiProperty({ description: "The GitHub App's slug, to build its installation URL", type: String, nullable: true, example: 'my-github-app' }) appClientSlug: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where a user installs the app; GitHub then returns the code and installation id' })
  setupUrl: string | null;
}

@ApiSchema({ description: 'The apps and methods this hub supports.' })
export class AppConnectionOptionsDto {
  @ApiProperty({ description: 'The supported apps', type: [AppConnectionOptionDto] }) appConnectionOptions: AppConnectionOptionDto[];
}

/** A connection a member may use, without its credentials (Infisical's `GET /:app/available` item). */
@ApiSchema({ description: "A connection a member may use, without its credentials (Infisical's `GET /:app/available` item)." })
export class AvailableAppConnectionDto {
  @ApiProperty({ description: 'The app', enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ description: "The connection's name", example: 'my-github-connection' }) name: string;
  @ApiProperty({ description: 'Id of the connection', format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The project it belongs to; null for the organization's own" }) projectId: string | null;
  @ApiProperty({ description: 'The organization (hub id)', format: 'uuid' }) orgId: string;
}

@ApiSchema({ description: 'The connections a member may use.' })
export class AvailableAppConnectionListDto {
  @ApiProperty({ description: 'The connections', type: [AvailableAppConnectionDto] }) appConnections: AvailableAppConnectionDto[];
}
