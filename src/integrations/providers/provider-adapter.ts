import type { OrgPrincipal } from '../../auth/principal';
import type { IntegrationEntity } from '../integration.entity';
import type { IntegrationProvider } from '../integration.enums';
import type { OAuthStateRecord } from '../oauth-state.service';

export type ConnectMethod = 'github_app' | 'oauth' | 'api_token' | 'webhook_url' | 'domain';

export interface Capability {
  id: string;
  name: string;
  description: string;
}

export interface ProviderContext {
  principal: OrgPrincipal;
  /** Null for workspace-level integrations. */
  projectId: string | null;
}

export type ConnectResult = { kind: 'connected'; integration: IntegrationEntity; created: boolean } | { kind: 'redirect'; authorizeUrl: string };

export interface RepoQuery {
  page: number;
  perPage: number;
  search?: string;
}

export interface RepoPage {
  repos: Array<{ id: string; name: string; private: boolean }>;
  total: number;
}

export interface HealthResult {
  healthy: boolean;
  details: Record<string, unknown>;
}

export interface AuthorizeRequest {
  ctx: ProviderContext;
  /** The single-use state to send to the provider. */
  state: string;
  /** `{SITE_URL}/api/integrations/{kind}/callback` */
  redirectUri: string;
  /** PKCE S256 challenge, for providers that support it. */
  codeChallenge: string;
}

export interface CallbackRequest {
  /** The query string the provider redirected with (code, installation_id, setup_action, ...). */
  query: Record<string, string | undefined>;
  state: OAuthStateRecord;
  redirectUri: string;
}

/** What a callback produced: the integration, or a further redirect (e.g. GitHub's user OAuth bootstrap). */
export type CallbackResult = { kind: 'connected'; integration: IntegrationEntity } | { kind: 'redirect'; url: string };

/**
 * One adapter per provider. Adapters register themselves with ProviderRegistry in onModuleInit, so the
 * GitHub adapter can live in the GithubModule while the faces live in the IntegrationsModule.
 */
export interface ProviderAdapter {
  readonly provider: IntegrationProvider;
  readonly connectMethod: ConnectMethod;
  readonly checks: Capability[];
  readonly actions: Capability[];
  /** Whether the hub has what it needs (client id, app id, ...) to connect this provider. */
  isConfigured(): boolean;
  /** Validates the credentials with one real call and stores the integration, or answers with an authorize URL. */
  connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult>;
  /** A cheap authenticated call against the provider. */
  health(integration: IntegrationEntity): Promise<HealthResult>;
  listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage>;
  /** Browser flow: the provider URL to send the user to. Absent for providers without one. */
  authorizeUrl?(req: AuthorizeRequest): Promise<string>;
  completeCallback?(req: CallbackRequest): Promise<CallbackResult>;
  /** Refreshes OAuth tokens; throws when the provider refuses. */
  refresh?(integration: IntegrationEntity): Promise<void>;
  /** Background sync: repositories and metadata. */
  sync?(integration: IntegrationEntity): Promise<void>;
  /** Cleanup when disconnecting, called after the integration is marked disconnected. */
  disconnect?(integration: IntegrationEntity): Promise<void>;
  /**
   * For providers whose credential destination is part of the configuration (MantisBT's base URL): where a
   * configuration would send the stored credential. An edit that changes it is refused; the credential moves
   * only when it is presented again (connect). The adapter's own calls use the destination bound at connect.
   */
  credentialDestination?(configuration: Record<string, unknown>): string | null;
  /** JSON Schema of the non-secret `configuration`; edits are validated against it. */
  readonly configurationSchema?: Record<string, unknown>;
  /** Whether a connect body carries credentials to validate directly (OAuth providers that also take tokens or webhook URLs). */
  acceptsDirectCredentials?(body: Record<string, unknown>): boolean;
}
