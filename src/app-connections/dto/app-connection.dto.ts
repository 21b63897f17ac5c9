import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AppConnectionApp, AppConnectionMethod, GithubInstanceType } from '../app-connection.enums';

/** The credentials as responses show them: never the code, a token or the installation id. */
export class RedactedGithubCredentialsDto {
  @ApiProperty({ enum: GithubInstanceType, enumName: 'GithubInstanceType' }) instanceType: GithubInstanceType;
  @ApiPropertyOptional({ example: 'github.example.com' }) host?: string;
}

export class AppConnectionProjectDto {
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'integrations' }) type: string;
  @ApiProperty({ example: 'default-project' }) slug: string;
}

export class AppConnectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ format: 'uuid' }) orgId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() isPlatformManagedCredentials: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) gatewayId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) projectId: string | null;
  @ApiProperty({ description: 'HMAC-SHA256 of the canonical credentials; changes exactly when they change' }) credentialsHash: string;
  @ApiProperty({ type: AppConnectionProjectDto, nullable: true }) project: AppConnectionProjectDto | null;
  @ApiProperty({ enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ enum: AppConnectionMethod, enumName: 'AppConnectionMethod' }) method: AppConnectionMethod;
  @ApiProperty({ type: RedactedGithubCredentialsDto }) credentials: RedactedGithubCredentialsDto;
}

export class AppConnectionResponseDto {
  @ApiProperty({ type: AppConnectionDto }) appConnection: AppConnectionDto;
}

export class AppConnectionListDto {
  @ApiProperty({ type: [AppConnectionDto] }) appConnections: AppConnectionDto[];
}

export class AppConnectionOptionDto {
  @ApiProperty({ example: 'GitHub' }) name: string;
  @ApiProperty({ enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ enum: AppConnectionMethod, enumName: 'AppConnectionMethod', isArray: true }) methods: AppConnectionMethod[];
  @ApiProperty({ type: String, nullable: true, example: 'Iv1.8a61f9b3a7aba766', description: 'The OAuth client id whose user codes the `oauth` method exchanges (the GitHub App\'s)' })
  oauthClientId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'my-github-app' }) appClientSlug: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where a user installs the app; GitHub then returns the code and installation id' })
  setupUrl: string | null;
}

export class AppConnectionOptionsDto {
  @ApiProperty({ type: [AppConnectionOptionDto] }) appConnectionOptions: AppConnectionOptionDto[];
}

/** A connection a member may use, without its credentials (Infisical's `GET /:app/available` item). */
export class AvailableAppConnectionDto {
  @ApiProperty({ enum: AppConnectionApp, enumName: 'AppConnectionApp' }) app: AppConnectionApp;
  @ApiProperty({ example: 'my-github-connection' }) name: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The project it belongs to; null for the organization's own" }) projectId: string | null;
  @ApiProperty({ format: 'uuid' }) orgId: string;
}

export class AvailableAppConnectionListDto {
  @ApiProperty({ type: [AvailableAppConnectionDto] }) appConnections: AvailableAppConnectionDto[];
}
