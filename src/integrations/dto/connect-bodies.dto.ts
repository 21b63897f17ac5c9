import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { IntegrationProvider } from '../integration.enums';

/*
 * What each provider reads from a connect body, for the contract only: the bodies are validated by
 * ConnectIntegrationDto and CreateProjectIntegrationDto (same fields, same 400s); these schemas show, per
 * provider, which of those fields it reads, so /docs offers the right form for GitHub, Slack, email, MantisBT, ...
 */

@ApiSchema({
  description:
    "Email sender domain settings: the domain (or, in PostHog's shape, the sender `email` and `name`) and the verification and DKIM tokens SES issued " +
    'for it (the hub checks the DNS records; it does not create the SES identity itself).',
})
export class EmailConnectConfig {
  @ApiPropertyOptional({ description: "PostHog's shape: the sender address; its domain becomes the integration's (free webmail domains are refused)", example: 'hello@mail.example.com' }) email?: string;
  @ApiPropertyOptional({ description: "PostHog's shape: the sender's display name", example: 'Example Co' }) name?: string;
  @ApiPropertyOptional({ description: "PostHog's `provider`: only `ses`", enum: ['ses'] }) provider?: 'ses';
  @ApiPropertyOptional({ description: 'Sender domain (required unless `email` is given; must be its domain when both are)', example: 'mail.example.com' }) domain?: string;
  @ApiProperty({ description: 'Domain verification token (TXT record value)', example: 'pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=' }) verify_token: string;
  @ApiProperty({ description: 'The three DKIM tokens (CNAME records)', type: [String], example: ['a1b2c3', 'd4e5f6', 'g7h8i9'] }) dkim_tokens: string[];
  @ApiPropertyOptional({ description: 'MAIL FROM subdomain', example: 'bounce' }) mail_from_subdomain?: string;
  @ApiProperty({ description: 'Sending region of the mail provider', example: 'us-east-1' }) region: string;
}

@ApiSchema({ description: 'Discord: an incoming webhook URL of the channel.' })
export class DiscordConnectConfig {
  @ApiProperty({ description: 'Incoming webhook URL (`https://discord.com/api/webhooks/...`)', example: 'https://discord.com/api/webhooks/123/abc' }) webhook_url: string;
}

@ApiSchema({ description: 'MantisBT: the instance URL and an API token of a user of it.' })
export class MantisbtConnectConfig {
  @ApiProperty({ description: 'Base URL of the MantisBT instance', example: 'https://mantis.example.com' }) url: string;
  @ApiProperty({ description: 'MantisBT API token' }) token: string;
}

@ApiSchema({ description: 'GitLab by token: a personal or group access token.' })
export class GitlabConnectConfig {
  @ApiProperty({ description: 'GitLab personal or group access token (`glpat-...`)' }) token: string;
}

// PostHog face: `kind` is in the body, so it discriminates.

@ApiSchema({ description: 'Create an email sender domain integration.' })
export class CreateEmailProjectIntegration {
  @ApiProperty({ description: 'The provider', enum: [IntegrationProvider.Email] }) kind: 'email';
  @ApiProperty({ description: 'Email settings', type: EmailConnectConfig }) config: EmailConnectConfig;
}

@ApiSchema({ description: 'Create a Discord integration from a webhook URL.' })
export class CreateDiscordProjectIntegration {
  @ApiProperty({ description: 'The provider', enum: [IntegrationProvider.Discord] }) kind: 'discord';
  @ApiProperty({ description: 'Discord settings', type: DiscordConnectConfig }) config: DiscordConnectConfig;
}

@ApiSchema({ description: 'Create a MantisBT integration.' })
export class CreateMantisbtProjectIntegration {
  @ApiProperty({ description: 'The provider', enum: [IntegrationProvider.Mantisbt] }) kind: 'mantisbt';
  @ApiProperty({ description: 'MantisBT settings', type: MantisbtConnectConfig }) config: MantisbtConnectConfig;
}

@ApiSchema({ description: 'Create a GitLab integration from an access token.' })
export class CreateGitlabProjectIntegration {
  @ApiProperty({ description: 'The provider', enum: [IntegrationProvider.Gitlab] }) kind: 'gitlab';
  @ApiProperty({ description: 'GitLab settings', type: GitlabConnectConfig }) config: GitlabConnectConfig;
}

@ApiSchema({ description: "Finish a GitHub setup: the installation GitHub returned to the setup URL, with this user's single-use state and OAuth code." })
export class GithubSetupConfig {
  @ApiProperty({ description: 'The GitHub App installation id GitHub returned', example: '12345678' }) installation_id: string;
  @ApiProperty({ description: "The single-use state of this user's `authorize?kind=github` for this project" }) state: string;
  @ApiProperty({ description: 'The user OAuth code GitHub returned' }) code: string;
}

@ApiSchema({ description: 'Finish a GitHub App setup (after `authorize?kind=github`).' })
export class CreateGithubProjectIntegration {
  @ApiProperty({ description: 'The provider', enum: [IntegrationProvider.Github] }) kind: 'github';
  @ApiProperty({ description: 'The setup GitHub returned', type: GithubSetupConfig }) config: GithubSetupConfig;
}

const PROJECT_BODIES = { github: CreateGithubProjectIntegration, email: CreateEmailProjectIntegration, discord: CreateDiscordProjectIntegration, mantisbt: CreateMantisbtProjectIntegration, gitlab: CreateGitlabProjectIntegration };

export const PROJECT_INTEGRATION_BODY_MODELS = [GithubSetupConfig, EmailConnectConfig, DiscordConnectConfig, MantisbtConnectConfig, GitlabConnectConfig, ...Object.values(PROJECT_BODIES)];

/** The PostHog create body: one schema per kind created directly, chosen by `kind`. */
export const PROJECT_INTEGRATION_BODY = {
  description: 'One shape per kind; `kind` says which. GitHub is finished here after its browser flow; Slack, Jira and Teams are connected through `authorize` only.',
  required: true,
  schema: {
    oneOf: Object.values(PROJECT_BODIES).map((c) => ({ $ref: getSchemaPath(c) })),
    discriminator: { propertyName: 'kind', mapping: Object.fromEntries(Object.entries(PROJECT_BODIES).map(([k, c]) => [k, getSchemaPath(c)])) },
  },
};

// Workspace face: the provider is the path's `{provider}`, so the body shapes are alternatives without a discriminator.

@ApiSchema({ description: 'GitHub: an installation of the hub\'s GitHub App, by id and account (or no body, to get the install URL).' })
export class GithubConnectBody {
  @ApiProperty({ description: 'GitHub App installation id', example: '12345678' }) installationId: string;
  @ApiProperty({ description: 'GitHub account (organization or user) the App is installed on', example: 'acme-org' }) accountLogin: string;
}

@ApiSchema({ description: 'Slack, Jira, Microsoft Teams (and GitLab or Discord without credentials): start the OAuth flow; the answer carries `authorizeUrl`.' })
export class OauthConnectBody {
  @ApiPropertyOptional({ description: 'Relative path on this hub to return to after the flow', example: '/settings/integrations' }) next?: string;
}

@ApiSchema({ description: 'GitLab by token (without one, the OAuth flow starts).' })
export class GitlabConnectBody extends GitlabConnectConfig {}

@ApiSchema({ description: 'Discord by webhook URL (without one, the OAuth flow starts).' })
export class DiscordConnectBody extends DiscordConnectConfig {}

@ApiSchema({ description: 'MantisBT: instance URL and API token.' })
export class MantisbtConnectBody extends MantisbtConnectConfig {}

@ApiSchema({ description: 'Email sender domain.' })
export class EmailConnectBody extends EmailConnectConfig {}

const WORKSPACE_BODIES = [GithubConnectBody, OauthConnectBody, GitlabConnectBody, DiscordConnectBody, MantisbtConnectBody, EmailConnectBody];
export const WORKSPACE_CONNECT_BODY_MODELS = [...WORKSPACE_BODIES, EmailConnectConfig, DiscordConnectConfig, MantisbtConnectConfig, GitlabConnectConfig];

/** The TinyOps connect body: the fields the path's provider reads. */
export const WORKSPACE_CONNECT_BODY = {
  description:
    'The fields depend on `{provider}`: github → `GithubConnectBody`; slack, jira, teams → `OauthConnectBody`; gitlab → `GitlabConnectBody` or `OauthConnectBody`; discord → `DiscordConnectBody` or `OauthConnectBody`; mantisbt → `MantisbtConnectBody`; email → `EmailConnectBody`. Fields another provider reads are accepted and ignored.',
  required: false,
  schema: { oneOf: WORKSPACE_BODIES.map((c) => ({ $ref: getSchemaPath(c) })) },
};
