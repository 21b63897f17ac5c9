import { Logger, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../common/error-codes';
import { HubError } from '../../common/hub-error';
import type { OAuthProviderConfig } from '../../config/hub-config';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationStatus, type IntegrationProvider } from '../integration.enums';
import { ProviderDeps } from './provider-deps.service';
import type { ProviderResponse } from './provider-http.service';
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
import { codeMissing, codeRejected, integrationInError, integrationNotConnected, oauthFlowRequired, tokenRefreshFailed, tokenRefreshUnavailable } from '../integrations.errors';

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

/** Token endpoint attempts per refresh, the first backoff (doubled each time), the longest Retry-After honoured inline. */
const REFRESH_ATTEMPTS = 4;
const REFRESH_BACKOFF_MS = 250;
const REFRESH_MAX_WAIT_MS = 5_000;
const REFRESH_TIMEOUT_MS = 5_000;

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
  /** How the provider joins scopes: RFC 6749 §3.3 says spaces; Slack documents commas. */
  protected readonly scopeSeparator: string = ' ';
  /** How the token endpoint wants its body. */
  protected readonly tokenEncoding: 'form' | 'json' = 'form';
  protected abstract readonly defaults: Required<Pick<OAuthProviderConfig, 'authorizeUrl' | 'tokenUrl' | 'apiUrl'>>;

  protected readonly logger = new Logger(this.constructor.name);
  /** Refreshes under way in this process, by integration id. */
  private readonly inflight = new Map<string, Promise<IntegrationEntity>>();

  constructor(protected readonly deps: ProviderDeps) {}

  onModuleInit(): void {
    this.deps.registry.register(this);
  }

  /** `<PROVIDER>_CLIENT_ID` and friends, found by the provider's name (see HubConfig.providers). */
  protected providerConfig(): OAuthProviderConfig {
    return this.deps.config.providers[this.provider] ?? {};
  }
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

  /** `<PROVIDER>_CLIENT_ID` and `<PROVIDER>_CLIENT_SECRET` until the client id is set (the secret may be absent for a public client). */
  missingSettings(): string[] {
    const cfg = this.providerConfig();
    if (cfg.clientId) return [];
    const prefix = this.provider.toUpperCase();
    return cfg.clientSecret ? [`${prefix}_CLIENT_ID`] : [`${prefix}_CLIENT_ID`, `${prefix}_CLIENT_SECRET`];
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
      scope: this.scopes.join(this.scopeSeparator),
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

  /**
   * Refreshes the tokens, single-flight per integration: one refresh at a time in this process (the others
   * await it) and across replicas (the row is locked while the token endpoint is asked). Whoever gets the
   * lock after a refresh sees fresh credentials and does not spend the rotated refresh token again. Transient
   * failures are retried and leave the integration usable; only a definitive refusal, confirmed against the
   * stored credentials, puts it in error. `rejectedAccessToken` is the token a provider just answered 401 to:
   * while it is still the stored one, the refresh happens even before it is due.
   */
  async refresh(integration: IntegrationEntity, rejectedAccessToken?: string): Promise<void> {
    let running = this.inflight.get(integration.id);
    if (!running) {
      running = this.refreshLocked(integration.id, rejectedAccessToken).finally(() => this.inflight.delete(integration.id));
      this.inflight.set(integration.id, running);
    }
    const fresh = await running.catch((err: unknown) => {
      if (err instanceof HubError && err.code === ErrorCode.TokenRefreshFailed) {
        integration.status = IntegrationStatus.Error;
        integration.errors = err.message;
      }
      throw err;
    });
    integration.sealedCredentials = fresh.sealedCredentials;
    integration.credentialsExpiresAt = fresh.credentialsExpiresAt;
    integration.status = fresh.status;
    integration.errors = fresh.errors;
  }

  private async refreshLocked(id: string, rejectedAccessToken?: string): Promise<IntegrationEntity> {
    const outcome = await this.deps.integrations.withLockedRow(id, async ({ row, writeCredentials }): Promise<{ row: IntegrationEntity; refused?: string }> => {
      if (row.status === IntegrationStatus.Error) return { row };
      const creds = this.deps.integrations.readCredentials<OAuthCredentials>(row);
      if (!creds?.refresh_token) return { row, refused: 'no_refresh_token' };
      // Another replica refreshed while this one waited for the lock (or the rejected token was already replaced).
      const rejected = rejectedAccessToken !== undefined && creds.access_token === rejectedAccessToken;
      if (!refreshDue(creds) && !rejected) return { row };
      const answer = await this.refreshGrant(creds.refresh_token);
      if ('tokens' in answer) {
        const next = this.credentialsFrom({ ...answer.tokens, refresh_token: answer.tokens.refresh_token ?? creds.refresh_token }, creds.extra);
        await writeCredentials({ ...next }, expiresAt(next));
        this.countRefresh('refreshed');
        return { row };
      }
      return { row, refused: answer.refused };
    });
    if (!outcome.refused) {
      if (outcome.row.status === IntegrationStatus.Error) throw integrationInError(outcome.row.errors ?? `${this.displayName} integration is in error`);
      return outcome.row;
    }
    // Before declaring the integration dead, look at what is stored now: a refresh that landed elsewhere
    // (a replica that did not take the lock, a reconnect) leaves credentials that are still good.
    const stored = await this.deps.integrations.findById(id);
    const storedCreds = stored ? this.deps.integrations.readCredentials<OAuthCredentials>(stored) : null;
    if (stored && storedCreds && stored.status !== IntegrationStatus.Error && stored.sealedCredentials !== outcome.row.sealedCredentials && !refreshDue(storedCreds)) return stored;
    this.countRefresh('refused');
    this.logger.warn(`${this.displayName} refused the token refresh of integration ${id} (${outcome.refused}); it needs to be reconnected`);
    const message = reconnectMessage(this.displayName);
    await this.deps.integrations.markRefreshFailed(stored ?? outcome.row, message);
    throw tokenRefreshFailed(message);
  }

  /**
   * The refresh grant with retries: 5xx, 429 (honouring Retry-After up to a bound), timeouts and connection
   * errors are tried again with exponential backoff; a refusal (`invalid_grant`, revoked, ...) is final.
   * Throws `tokenRefreshUnavailable` when the provider stays unavailable.
   */
  private async refreshGrant(refreshToken: string): Promise<{ tokens: TokenResponse } | { refused: string }> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken });
      if (!('transient' in answer)) return answer;
      const waitMs = answer.retryAfterS !== undefined ? answer.retryAfterS * 1000 : REFRESH_BACKOFF_MS * 2 ** (attempt - 1);
      if (attempt >= REFRESH_ATTEMPTS || waitMs > REFRESH_MAX_WAIT_MS) {
        this.countRefresh('transient');
        this.logger.warn(`${this.displayName} token refresh failed transiently (${answer.transient}) after ${attempt} attempts; the integration stays connected`);
        throw tokenRefreshUnavailable(this.displayName, answer.transient, Math.max(1, Math.ceil(waitMs / 1000)));
      }
      this.countRefresh('retried');
      this.logger.warn(`${this.displayName} token refresh failed transiently (${answer.transient}), attempt ${attempt}; retrying in ${waitMs} ms`);
      await sleep(waitMs);
    }
  }

  /** One token endpoint call, classified: tokens, a definitive refusal, or a transient failure. */
  private async tokenCall(grant: Record<string, string>): Promise<{ tokens: TokenResponse } | { refused: string } | { transient: string; retryAfterS?: number }> {
    let res: ProviderResponse<Record<string, unknown>>;
    try {
      res = await this.postToken(grant, REFRESH_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof HubError && err.code === ErrorCode.ProviderRateLimited) {
        const retryAfterS = Number(err.headers?.['retry-after']);
        return { transient: 'HTTP 429', retryAfterS: Number.isFinite(retryAfterS) && retryAfterS >= 0 ? retryAfterS : undefined };
      }
      if (err instanceof HubError && (err.code === ErrorCode.UpstreamUnreachable || err.code === ErrorCode.ProviderBadResponse)) return { transient: err.code === ErrorCode.UpstreamUnreachable ? 'unreachable' : 'malformed response' };
      throw err;
    }
    const body = typeof res.body === 'object' && res.body ? res.body : {};
    const providerCode = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    if (res.status >= 500 || res.status === 408) return { transient: providerCode === `HTTP ${res.status}` ? providerCode : `HTTP ${res.status} ${providerCode}` };
    if (res.status === 200) {
      const tokens = this.parseTokenResponse(body);
      if (tokens) return { tokens };
      if (this.transientTokenError(providerCode)) return { transient: providerCode };
    }
    return { refused: providerCode };
  }

  /** Provider error codes that mean "try again" though the HTTP status is 200 (Slack's `ok: false`). */
  protected transientTokenError(_providerCode: string): boolean {
    return false;
  }

  private countRefresh(outcome: 'refreshed' | 'retried' | 'transient' | 'refused'): void {
    this.deps.metrics.tokenRefreshes.inc({ provider: this.provider, outcome });
  }

  /**
   * The provider proxy's destination: the API base, the access token as a bearer credential (refreshed first
   * when due), and one refresh after a 401 when there is a refresh token.
   */
  async proxyTarget(integration: IntegrationEntity): Promise<ProxyTarget> {
    const used = await this.accessToken(integration);
    return {
      baseUrl: this.proxyBaseUrl(integration),
      credentialHeaders: bearer(used),
      refresh: async () => {
        if (!this.credentials(integration)?.refresh_token) return null;
        await this.refresh(integration, used);
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

  /** Code exchange; null when the provider refuses the grant. */
  protected async tokenRequest(grant: Record<string, string>): Promise<TokenResponse | null> {
    const res = await this.postToken(grant);
    if (res.status !== 200 || typeof res.body !== 'object' || !res.body) return null;
    return this.parseTokenResponse(res.body);
  }

  private postToken(grant: Record<string, string>, timeoutMs?: number): Promise<ProviderResponse<Record<string, unknown>>> {
    const body = { ...grant, client_id: this.oauth.clientId ?? '', ...(this.oauth.clientSecret ? { client_secret: this.oauth.clientSecret } : {}) };
    return this.deps.http.call<Record<string, unknown>>(
      this.displayName,
      this.oauth.tokenUrl,
      this.tokenEncoding === 'json' ? { method: 'POST', json: body, timeoutMs } : { method: 'POST', form: body, timeoutMs },
    );
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
