import { OnModuleInit } from '@nestjs/common';
import type { OAuthProviderConfig } from '../../config/hub-config';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationStatus, type IntegrationProvider } from '../integration.enums';
import { ProviderDeps } from './provider-deps.service';
import type {
  AuthorizeRequest,
  CallbackRequest,
  CallbackResult,
  Capability,
  ConnectMethod,
  ConnectResult,
  HealthResult,
  ProviderAdapter,
  ProviderContext,
  ProxyTarget,
  RepoPage,
  RepoQuery,
} from './provider-adapter';
import { codeMissing, codeRejected, integrationInError, integrationNotConnected, oauthFlowRequired, tokenRefreshFailed } from '../integrations.errors';

/** What the provider's token endpoint answered (RFC 6749 §5.1 plus provider extras). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  [extra: string]: unknown;
}

/** Sealed credentials of an OAuth integration. */
export interface OAuthCredentials {
  access_token: string;
  refresh_token?: string;
  /** Token lifetime in seconds, when the provider gave one. */
  lifetime_s?: number;
  /** Epoch milliseconds when the token was issued. */
  obtained_at: number;
  /** Provider extras worth keeping (e.g. Discord's webhook URL). */
  extra?: Record<string, unknown>;
}

export interface ProviderIdentity {
  externalAccountId: string;
  displayName: string;
  configuration?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export const reconnectMessage = (displayName: string) => `The ${displayName} token could not be refreshed. Please reconnect`;

/** Refresh once half of the token's lifetime has passed. */
export function refreshDue(creds: OAuthCredentials, now = Date.now()): boolean {
  return !!creds.lifetime_s && now >= creds.obtained_at + (creds.lifetime_s * 1000) / 2;
}

/**
 * The OAuth 2.0 authorization-code flow shared by Slack, GitLab, Jira, Discord and Teams: authorize URL
 * (PKCE S256 where the provider supports it), code exchange, refresh after half the lifetime, and the
 * error state with a reconnect message when the provider refuses a refresh.
 */
export abstract class OAuthProviderAdapter implements ProviderAdapter, OnModuleInit {
  abstract readonly provider: IntegrationProvider;
  abstract readonly displayName: string;
  abstract readonly checks: Capability[];
  abstract readonly actions: Capability[];
  abstract readonly scopes: string[];
  abstract readonly pkce: boolean;
  readonly connectMethod: ConnectMethod = 'oauth';
  /** How the token endpoint wants its body. */
  protected readonly tokenEncoding: 'form' | 'json' = 'form';
  protected abstract readonly defaults: Required<Pick<OAuthProviderConfig, 'authorizeUrl' | 'tokenUrl' | 'apiUrl'>>;

  constructor(protected readonly deps: ProviderDeps) {}

  onModuleInit(): void {
    this.deps.registry.register(this);
  }

  protected abstract providerConfig(): OAuthProviderConfig;
  /** One real call with the fresh token: who/what was connected. */
  protected abstract identify(tokens: TokenResponse): Promise<ProviderIdentity>;
  abstract health(integration: IntegrationEntity): Promise<HealthResult>;
  abstract listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage>;

  protected get oauth(): Required<Pick<OAuthProviderConfig, 'authorizeUrl' | 'tokenUrl' | 'apiUrl'>> & OAuthProviderConfig {
    const cfg = this.providerConfig();
    return {
      ...cfg,
      authorizeUrl: cfg.authorizeUrl ?? this.defaults.authorizeUrl,
      tokenUrl: cfg.tokenUrl ?? this.defaults.tokenUrl,
      apiUrl: (cfg.apiUrl ?? this.defaults.apiUrl).replace(/\/+$/, ''),
    };
  }

  isConfigured(): boolean {
    return !!this.providerConfig().clientId;
  }

  /** OAuth providers connect through the browser flow (see IntegrationFlowsService). */
  async connect(_ctx: ProviderContext, _body: Record<string, unknown>): Promise<ConnectResult> {
    throw oauthFlowRequired(this.displayName);
  }

  protected extraAuthorizeParams(): Record<string, string> {
    return {};
  }

  async authorizeUrl(req: AuthorizeRequest): Promise<string> {
    const url = new URL(this.oauth.authorizeUrl);
    const params: Record<string, string> = {
      client_id: this.oauth.clientId ?? '',
      scope: this.scopes.join(' '),
      redirect_uri: req.redirectUri,
      response_type: 'code',
      state: req.state,
      ...this.extraAuthorizeParams(),
    };
    if (this.pkce) Object.assign(params, { code_challenge: req.codeChallenge, code_challenge_method: 'S256' });
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  async completeCallback(req: CallbackRequest): Promise<CallbackResult> {
    const code = req.query.code;
    if (!code) throw codeMissing();
    const grant: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: req.redirectUri };
    if (this.pkce && req.state.codeVerifier) grant.code_verifier = req.state.codeVerifier;
    const tokens = await this.tokenRequest(grant);
    if (!tokens) throw codeRejected(this.displayName);
    const identity = await this.identify(tokens);
    const credentials = this.credentialsFrom(tokens, identity.extra);
    const { integration } = await this.deps.integrations.upsert({
      organizationId: req.state.organizationId,
      projectId: req.state.projectId,
      provider: this.provider,
      externalAccountId: identity.externalAccountId,
      displayName: identity.displayName,
      configuration: identity.configuration,
      credentials: { ...credentials },
      credentialsExpiresAt: expiresAt(credentials),
      createdBy: req.state.userId,
    });
    return { kind: 'connected', integration };
  }

  async refresh(integration: IntegrationEntity): Promise<void> {
    const creds = this.deps.integrations.readCredentials<OAuthCredentials>(integration);
    const tokens = creds?.refresh_token ? await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: creds.refresh_token }).catch(() => null) : null;
    if (!creds || !tokens) {
      const message = reconnectMessage(this.displayName);
      await this.deps.integrations.setStatus([integration.id], IntegrationStatus.Error, message);
      integration.status = IntegrationStatus.Error;
      integration.errors = message;
      throw tokenRefreshFailed(message);
    }
    const next = this.credentialsFrom({ ...tokens, refresh_token: tokens.refresh_token ?? creds.refresh_token }, creds.extra);
    await this.deps.integrations.writeCredentials(integration, { ...next }, expiresAt(next));
  }

  /**
   * The provider proxy's destination: the API base, the access token as a bearer credential (refreshed first
   * when due), and one refresh after a 401 when there is a refresh token.
   */
  async proxyTarget(integration: IntegrationEntity): Promise<ProxyTarget> {
    return {
      baseUrl: this.proxyBaseUrl(integration),
      credentialHeaders: bearer(await this.accessToken(integration)),
      refresh: async () => {
        if (!this.credentials(integration)?.refresh_token) return null;
        await this.refresh(integration);
        return bearer(await this.accessToken(integration));
      },
    };
  }

  /** Where proxied calls go: the provider's API base, unless the credential is bound to a narrower one (a Jira site). */
  protected proxyBaseUrl(_integration: IntegrationEntity): string {
    return this.oauth.apiUrl;
  }

  /** The access token to use now, refreshed first when half its lifetime has passed. */
  protected async accessToken(integration: IntegrationEntity): Promise<string> {
    if (integration.status === IntegrationStatus.Error) throw integrationInError(integration.errors ?? `${this.displayName} integration is in error`);
    let creds = this.deps.integrations.readCredentials<OAuthCredentials>(integration);
    if (!creds) throw integrationNotConnected(`${this.displayName} integration has no credentials`);
    if (refreshDue(creds)) {
      await this.refresh(integration);
      creds = this.deps.integrations.readCredentials<OAuthCredentials>(integration) as OAuthCredentials;
    }
    return creds.access_token;
  }

  protected credentials(integration: IntegrationEntity): OAuthCredentials | null {
    return this.deps.integrations.readCredentials<OAuthCredentials>(integration);
  }

  /** Token endpoint call; null when the provider refuses the grant. */
  protected async tokenRequest(grant: Record<string, string>): Promise<TokenResponse | null> {
    const body = { ...grant, client_id: this.oauth.clientId ?? '', ...(this.oauth.clientSecret ? { client_secret: this.oauth.clientSecret } : {}) };
    const res = await this.deps.http.call<Record<string, unknown>>(
      this.displayName,
      this.oauth.tokenUrl,
      this.tokenEncoding === 'json' ? { method: 'POST', json: body } : { method: 'POST', form: body },
    );
    if (res.status !== 200 || typeof res.body !== 'object' || !res.body) return null;
    return this.parseTokenResponse(res.body);
  }

  protected parseTokenResponse(body: Record<string, unknown>): TokenResponse | null {
    return typeof body.access_token === 'string' ? (body as TokenResponse) : null;
  }

  private credentialsFrom(tokens: TokenResponse, extra?: Record<string, unknown>): OAuthCredentials {
    return {
      access_token: tokens.access_token,
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      ...(tokens.expires_in ? { lifetime_s: Number(tokens.expires_in) } : {}),
      obtained_at: Date.now(),
      ...(extra ? { extra } : {}),
    };
  }
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function expiresAt(creds: OAuthCredentials): Date | null {
  return creds.lifetime_s ? new Date(creds.obtained_at + creds.lifetime_s * 1000) : null;
}
