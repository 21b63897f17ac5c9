import type { IntegrationObjectDto } from './dto/integration-object.dto';
import type { PolicyDto } from './dto/policy.dto';
import type { UserSummary } from '../organizations/users.service';
import type { ProjectIntegrationDto, ProjectIntegrationUserDto } from './dto/project-integration.dto';
import type { WorkspaceIntegrationDto } from './dto/workspace-integration.dto';
import type { IntegrationEntity } from './integration.entity';
import { IntegrationProvider, IntegrationStatus } from './integration.enums';
import type { PolicyEntity } from './policy.entity';

/** One row, three faces: each face renders the same integration its own way (never with secrets). */
export function toWorkspaceIntegration(row: IntegrationEntity): WorkspaceIntegrationDto {
  return {
    id: row.id,
    provider: row.provider,
    displayName: row.displayName,
    status: row.status,
    enabled: row.enabled,
    projectId: row.projectId,
    errors: row.errors,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    connectedAt: row.createdAt.toISOString(),
  };
}

export function toIntegrationObject(row: IntegrationEntity): IntegrationObjectDto {
  return { id: row.id, organisation_id: row.organizationId, item_type: row.itemType, provider: row.provider, enabled: row.enabled, configuration: row.configuration };
}

/**
 * PostHog's integration body; `creator` is the user the row's `created_by` names, when known; `references` how many
 * integrations (this one included) use the row's GitHub installation.
 */
export function toProjectIntegration(row: IntegrationEntity, creator: UserSummary | undefined, references = 1): ProjectIntegrationDto {
  const isGithub = row.provider === IntegrationProvider.Github;
  const stored = JSON.parse(row.configuration) as Record<string, unknown>;
  const config = isGithub ? toPosthogGithubConfig(row, stored) : row.provider === IntegrationProvider.Email ? toPosthogEmailConfig(row, stored) : stored;
  return {
    id: row.id,
    kind: row.provider,
    config,
    created_at: row.createdAt.toISOString(),
    created_by: creator ? toPosthogUser(creator) : null,
    errors: row.errors ?? '',
    display_name: isGithub ? githubDisplayName(config, row) : row.displayName,
    // The hub's Slack app does not ask for files:write.
    files_write_requestable: false,
    installation_shared: isGithub ? references > 1 : null,
    installation_status: isGithub ? (row.status === IntegrationStatus.Connected ? 'connected' : 'unavailable') : null,
  };
}

/** GitHub's installation tokens live an hour; PostHog's config says so in `expires_in`. */
const GITHUB_TOKEN_LIFETIME_S = 3600;

/**
 * PostHog's GitHub config (posthog/models/integration GitHubIntegration.integration_from_installation_id):
 * `installation_id`, `account: {type, name}`, `repository_selection`, `expires_in`, `refreshed_at` (unix seconds).
 * The hub keeps no token on the integration (the broker mints them), so `refreshed_at` is when the hub last
 * stored what GitHub said about the installation and `expires_in` GitHub's token lifetime.
 */
function toPosthogGithubConfig(row: IntegrationEntity, stored: Record<string, unknown>): Record<string, unknown> {
  const account = (stored.account ?? {}) as { login?: unknown; name?: unknown; type?: unknown };
  const { account: _account, ...rest } = stored;
  return {
    ...rest,
    installation_id: String(stored.installation_id ?? row.externalAccountId),
    expires_in: GITHUB_TOKEN_LIFETIME_S,
    refreshed_at: Math.floor(row.updatedAt.getTime() / 1000),
    repository_selection: stored.repository_selection ?? 'selected',
    account: { type: account.type ?? null, name: account.name ?? account.login ?? String(stored.installation_id ?? row.externalAccountId) },
  };
}

/**
 * PostHog's email config (EmailIntegration.create_native_integration): `email`, `domain`, `mail_from_subdomain`,
 * `name`, `provider` and `verified`, beside the hub's SES verification data. `verified` is whether the last health
 * check (`GET /api/integrations/email/health`) found every record (the hub has no SES to ask); `email` and `name` are null for a domain connected in the
 * hub's own shape.
 */
function toPosthogEmailConfig(row: IntegrationEntity, stored: Record<string, unknown>): Record<string, unknown> {
  return {
    ...stored,
    email: stored.email ?? null,
    name: stored.name ?? null,
    domain: stored.domain ?? row.externalAccountId,
    mail_from_subdomain: stored.mail_from_subdomain ?? null,
    provider: 'ses',
    verified: row.status === IntegrationStatus.Connected && row.metadata?.verified === true,
  };
}

/** Upstream's display_name for GitHub: `account.name`, else the installation id. */
function githubDisplayName(config: Record<string, unknown>, row: IntegrationEntity): string {
  const name = (config.account as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : row.externalAccountId;
}

/** PostHog's UserBasicSerializer fields from a hub user: the uuid stands in for PostHog's integer id and distinct id. */
function toPosthogUser(user: UserSummary): ProjectIntegrationUserDto {
  const [first, ...rest] = user.name.trim().split(/\s+/);
  return { id: user.id, uuid: user.id, distinct_id: user.id, first_name: first ?? '', last_name: rest.join(' '), email: user.email };
}

export function toPolicy(row: PolicyEntity): PolicyDto {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    integration_id: row.integrationId,
    check: row.check,
    action: row.action,
    config: row.config,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
