import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

@ApiSchema({ description: 'Where to create the GitHub App: for a user account or a GitHub organization (all optional).' })
export class CreateGithubAppManifestDto {
  @ApiPropertyOptional({
    example: 'acme',
    description: 'GitHub organization to own the App (`/organizations/{org}/settings/apps/new`); omitted: the signed-in GitHub user owns it',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { message: 'github_organization must be a GitHub login' })
  github_organization?: string;

  @ApiPropertyOptional({ example: 'Acme Integrations Hub', maxLength: 34, description: "The App's name on GitHub (at most 34 characters; unique on GitHub)" })
  @IsOptional()
  @IsString()
  @MaxLength(34)
  name?: string;

  @ApiPropertyOptional({
    example: { issues: 'write' },
    description: 'Permissions beyond the ones the hub itself needs, for the tokens it brokers to your services (name → read, write or admin)',
    type: 'object',
    additionalProperties: { type: 'string', enum: ['read', 'write', 'admin'] },
  })
  @IsOptional()
  @IsObject()
  extra_permissions?: Record<string, string>;
}

@ApiSchema({ description: "The GitHub App manifest for this hub, its single-use state and a self-submitting form that posts it to GitHub." })
export class GithubAppManifestDto {
  @ApiProperty({ example: 'https://github.com/organizations/acme/settings/apps/new?state=...', description: "Where the form POSTs the manifest: GitHub's (or GHES') App registration page, with the single-use state" })
  action_url: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The GitHub App manifest (permissions, events, webhook, setup and callback URLs of this hub)' })
  manifest: Record<string, unknown>;
  @ApiProperty({ description: 'Single-use state (10 minutes) that GitHub sends back to the callback' })
  state: string;
  @ApiProperty({ format: 'date-time', description: 'When the state expires' })
  expires_at: string;
  @ApiProperty({ description: 'A self-submitting HTML page with the form: save it and open it in a browser signed in to GitHub' })
  html: string;
}

export class GithubAppManifestCallbackQueryDto {
  @ApiPropertyOptional({ description: 'The temporary code GitHub sends back (valid one hour)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  code?: string;
  @ApiPropertyOptional({ description: 'The single-use state of the manifest form' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  state?: string;
}

@ApiSchema({ description: 'The GitHub App the hub stored from the manifest flow (no secrets), and where to install it.' })
export class GithubAppRegisteredDto {
  @ApiProperty({ example: '123456', description: "The App's id (GitHub's `id`)" })
  app_id: string;
  @ApiProperty({ example: 'acme-integrations-hub', description: "The App's slug" })
  slug: string;
  @ApiProperty({ example: 'Iv1.0123456789abcdef', description: "The App's OAuth client id" })
  client_id: string;
  @ApiProperty({ description: "The App's page on GitHub" })
  html_url: string;
  @ApiProperty({ nullable: true, type: String, description: 'The account that owns the App' })
  owner_login: string | null;
  @ApiProperty({ description: 'Where to install the App on an organization next' })
  install_url: string;
  @ApiProperty({ enum: ['manifest'], description: 'Where the hub takes its App settings from now' })
  source: 'manifest';
}
