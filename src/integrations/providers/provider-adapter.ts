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

/** What a caller may ask of the credential a proxied call carries (GitHub installation tokens can be narrowed). */
export interface ProxyTargetRequest {
  repositories?: string[];
  permissions?: Record<string, string>;
}

/**
 * Where an integration's credential may go and how it is attached: the one answer the provider proxy and the
 * adapter's own calls share, so a stored credential only ever reaches the host it was granted for.
 */
export interface ProxyTarget {
  /** Absolute base URL; every proxied path is resolved beneath its origin and path. */
  baseUrl: string;
  /** Headers that carry the credential. Empty when the credential is part of `baseUrl` (Discord's webhook URL). */
  credentialHeaders: Record<string, string>;
  /**
   * After the provider answered 401: obtains a fresh credential and answers the headers carrying it, or null
   * when there is nothing fresher to try (the proxy then returns the 401 as is).
   */
  refresh?(): Promise<Record<string, string> | null>;
}

/**
 * One adapter per provider. Adapters register themselves with ProviderRegistry in onModuleInit, so the
 * GitHub adapter can live in the GithubModule while the faces live in the IntegrationsModule.
 */
export interface ProviderAdapter {
  readonly provider: IntegrationProvider;
  /** How people name the provider in messages and emails ('GitLab', 'Microsoft Teams', ...). */
  readonly displayName: string;
  readonly connectMethod: ConnectMethod;
  readonly checks: Capability[];
  readonly actions: Capability[];
  /** The environment variables the hub still needs to connect this provider (client id, app id, ...); empty: configured. */
  missingSettings(): string[];
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
  /** Where the integration's credential may be sent and how (the provider proxy); absent for providers without an API to proxy. */
  proxyTarget?(integration: IntegrationEntity, request: ProxyTargetRequest): Promise<ProxyTarget>;
  /** JSON Schema of the non-secret `configuration`; edits are validated against it. */
  readonly configurationSchema?: Record<string, unknown>;
  /** Whether a connect body carries credentials to validate directly (OAuth providers that also take tokens or webhook URLs). */
  acceptsDirectCredentials?(body: Record<string, unknown>): boolean;
  /**
   * PostHog's `POST .../integrations/` for a kind set up in the provider's browser flow: the client posts what the
   * flow returned (GitHub: `{installation_id, state, code}`) and the adapter finishes the connection.
   */
  completeSetup?(ctx: ProviderContext, config: Record<string, unknown>): Promise<ConnectResult>;
}
