import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, KeyObject } from 'node:crypto';
import { Octokit } from 'octokit';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { MetricsService } from '../health/metrics.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { AppJwt, loadAppPrivateKey, signAppJwt } from './github-app-jwt';
import type { ConvertedApp } from './github-app-settings.service';
import { githubManifestCodeInvalid, githubNotConfigured, translateGithubError, TranslateOptions } from './github.errors';

/** Re-sign the app JWT this long before it expires. */
const JWT_REFRESH_MARGIN_MS = 60_000;

export interface GithubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | number | undefined>;
}

type Params = Record<string, unknown>;

/** GitHub's own account of a response's rate limit (`x-ratelimit-*` headers); null when absent. */
export interface RateLimitHeaders {
  /** `core`, `graphql`, `search`, ... */
  resource: string;
  limit: number;
  remaining: number;
  used: number;
}

export function rateLimitOf(headers: Record<string, string | number | undefined> | undefined): RateLimitHeaders | null {
  const h = headers ?? {};
  if (h['x-ratelimit-remaining'] === undefined) return null;
  return { resource: String(h['x-ratelimit-resource'] ?? 'core'), limit: Number(h['x-ratelimit-limit']), remaining: Number(h['x-ratelimit-remaining']), used: Number(h['x-ratelimit-used']) };
}

export interface GraphqlError {
  message: string;
  type?: string;
  path?: Array<string | number>;
}

/**
 * Where one call goes when it is not the hub's configured GitHub: a GitHub Enterprise Server named by an app
 * connection (`https://{host}` and `https://{host}/api/v3`), optionally through a gateway's HTTP proxy.
 */
export interface GithubEndpoints {
  apiUrl: string;
  webUrl: string;
  proxyUrl?: string;
}

export interface GithubCallOptions extends TranslateOptions {
  endpoints?: GithubEndpoints;
}

/** A stable short id of non-default endpoints, for cache keys (empty for the hub's own GitHub). */
export function endpointsKey(endpoints?: GithubEndpoints): string {
  return endpoints ? createHash('sha256').update(`${endpoints.apiUrl}|${endpoints.webUrl}`).digest('hex').slice(0, 16) : '';
}

/**
 * The module's only way to GitHub: one octokit (throttling and retry plugins, bounded waits) whose fetch is the
 * hub's guarded outbound client. Calls authenticate as the app (JWT), an installation or a user; every failure
 * leaves here as a HubError.
 */
@Injectable()
export class GithubClient {
  private readonly logger = new Logger('GithubClient');
  private readonly octokit: Octokit;
  /**
   * For bulk reads (org scans), which pace themselves through the scan's shared Redis throttle and wait out rate
   * limits themselves: octokit's per-process limiter sends at most one GraphQL request per second, which would
   * make a 10,000-repository scan take minutes.
   */
  private readonly bulkOctokit: Octokit;
  private privateKey?: KeyObject;
  private appJwt?: AppJwt;
  /** Installation of each token this process minted or read from the shared cache, to label its rate limit. */
  private readonly tokenInstallations = new Map<string, string>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly outbound: OutboundHttpService,
    private readonly metrics: MetricsService,
  ) {
    const gh = config.github;
    // Wait out a rate limit only when it resets soon; otherwise our caller gets 429 with Retry-After.
    const retryIfSoon = (retryAfter: number, options: { request: { retryCount: number } }) =>
      options.request.retryCount === 0 && retryAfter <= gh.rateLimitMaxWaitSeconds;
    this.octokit = new Octokit({
      baseUrl: gh.apiUrl,
      userAgent: 'integrations-hub',
      request: { fetch: outbound.fetch },
      retry: { enabled: gh.requestRetries > 0, retries: gh.requestRetries },
      throttle: { onRateLimit: retryIfSoon, onSecondaryRateLimit: retryIfSoon },
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => this.logger.warn(message),
        error: (message: string) => this.logger.error(message),
      },
    });
    this.bulkOctokit = new Octokit({
      baseUrl: gh.apiUrl,
      userAgent: 'integrations-hub',
      request: { fetch: outbound.fetch },
      retry: { enabled: false },
      throttle: { enabled: false },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => this.logger.error(message) },
    });
    for (const octokit of [this.octokit, this.bulkOctokit]) octokit.hook.wrap('request', (request, options) => this.observed(request, options));
  }

  /** Records which installation a token belongs to, so GitHub's rate-limit answers to it are labelled. */
  noteInstallationToken(token: string, installationId: string): void {
    if (this.tokenInstallations.size >= 10_000) this.tokenInstallations.clear();
    this.tokenInstallations.set(token, installationId);
  }

  /** Times one GitHub request (outcome and latency) and keeps its `x-ratelimit-remaining` per installation. */
  private async observed<O extends { headers?: object }, R extends { status: number; headers: object }>(request: (options: O) => R | Promise<R>, options: O): Promise<R> {
    const started = performance.now();
    let status: number | undefined;
    let headers: object | undefined;
    try {
      const res = await request(options);
      status = res.status;
      headers = res.headers;
      return res;
    } catch (err) {
      const failed = err as { status?: number; response?: { headers?: object } };
      status = failed.status;
      headers = failed.response?.headers;
      throw err;
    } finally {
      this.metrics.observeProviderCall('github', status, (performance.now() - started) / 1000);
      const limit = rateLimitOf(headers as Record<string, string | number | undefined>);
      if (limit && Number.isFinite(limit.remaining)) {
        const auth = String((options.headers as { authorization?: string } | undefined)?.authorization ?? '');
        const installation = auth.startsWith('bearer ') ? 'app' : (this.tokenInstallations.get(auth.slice(auth.indexOf(' ') + 1)) ?? 'unknown');
        this.metrics.githubRateLimitRemaining.set({ installation, resource: limit.resource }, limit.remaining);
      }
    }
  }

  /** App id (or client id), private key and slug are set. */
  get appConfigured(): boolean {
    return this.missingAppSettings().length === 0;
  }

  /** The GITHUB_APP_* variables the App still needs (empty when it is configured, by env or by the manifest flow). */
  missingAppSettings(): string[] {
    const gh = this.config.github;
    const missing: string[] = [];
    if (!gh.appId && !gh.clientId) missing.push('GITHUB_APP_ID');
    if (!gh.privateKey) missing.push('GITHUB_APP_PRIVATE_KEY');
    if (!gh.appSlug) missing.push('GITHUB_APP_SLUG');
    return missing;
  }

  /** Forgets the signed app JWT and loaded key: the App's settings changed (created through the manifest flow). */
  resetAppCredentials(): void {
    this.privateKey = undefined;
    this.appJwt = undefined;
  }

  get oauthConfigured(): boolean {
    return !!(this.config.github.clientId && this.config.github.clientSecret);
  }

  /** A call authenticated as the app itself (installations, token minting). */
  asApp<T>(route: string, params: Params = {}, opts?: GithubCallOptions): Promise<GithubResponse<T>> {
    if (!this.appConfigured) return Promise.reject(githubNotConfigured(this.missingAppSettings()));
    return this.call<T>(route, { ...params, headers: { authorization: `bearer ${this.currentJwt()}` } }, opts);
  }

  /** A call with an installation or user token. */
  withToken<T>(token: string, route: string, params: Params = {}, opts?: GithubCallOptions): Promise<GithubResponse<T>> {
    return this.call<T>(route, { ...params, headers: { authorization: `token ${token}` } }, opts);
  }

  /**
   * A GraphQL query with an installation token. GraphQL answers 200 with `errors` beside partial `data` (e.g. a
   * field the installation may not read): both are returned, only HTTP failures throw. Bulk: not throttled here.
   */
  async graphqlWithToken<T>(token: string, query: string, variables: Params): Promise<{ data: T | null; errors: GraphqlError[]; rateLimit: RateLimitHeaders | null }> {
    try {
      const res = await this.bulkOctokit.request('POST /graphql', { query, variables, headers: { authorization: `token ${token}` } });
      const body = res.data as { data?: T | null; errors?: GraphqlError[] };
      return { data: body.data ?? null, errors: body.errors ?? [], rateLimit: rateLimitOf(res.headers as Record<string, string | number | undefined>) };
    } catch (err) {
      throw translateGithubError(err);
    }
  }

  /**
   * A GET sent with If-None-Match: `notModified` when GitHub answers 304 (which does not count against the rate limit).
   * `hasNextPage` from the Link header, for list endpoints. Bulk.
   */
  async conditionalWithToken<T>(
    token: string,
    route: string,
    etag: string | null,
    params: Params = {},
    opts?: TranslateOptions,
  ): Promise<{ notModified: true; rateLimit: RateLimitHeaders | null } | { notModified: false; etag: string | null; data: T; hasNextPage: boolean; rateLimit: RateLimitHeaders | null }> {
    try {
      const res = await this.bulkOctokit.request(route, { ...params, headers: { authorization: `token ${token}`, ...(etag ? { 'if-none-match': etag } : {}) } });
      const link = String(res.headers.link ?? '');
      const rateLimit = rateLimitOf(res.headers as Record<string, string | number | undefined>);
      return { notModified: false, etag: (res.headers.etag as string | undefined) ?? null, data: res.data as T, hasNextPage: /rel="next"/.test(link), rateLimit };
    } catch (err) {
      const failed = err as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
      if (failed.status === 304) return { notModified: true, rateLimit: rateLimitOf(failed.response?.headers) };
      throw translateGithubError(err, opts);
    }
  }

  /** Every page of a list endpoint (`items` picks the array out of wrapped responses). */
  async paginateWithToken<T>(token: string, route: string, params: Params = {}, opts?: GithubCallOptions): Promise<T[]> {
    try {
      return (await this.octokit.paginate(route, { per_page: 100, ...params, ...this.routing(opts?.endpoints), headers: { authorization: `token ${token}` } })) as T[];
    } catch (err) {
      throw translateGithubError(err, opts);
    }
  }

  /** Exchanges a user OAuth code for a user-to-server token (GitHub answers 200 with `error` on refusal). */
  async exchangeCode(code: string, redirectUri: string | undefined, endpoints?: GithubEndpoints): Promise<{ token: string; expiresAt: Date | null } | null> {
    const gh = this.config.github;
    const res = await this.call<{ access_token?: string; expires_in?: number; error?: string }>(
      'POST /login/oauth/access_token',
      {
        client_id: gh.clientId,
        client_secret: gh.clientSecret,
        code,
        ...(redirectUri ? { redirect_uri: redirectUri } : {}),
        headers: { accept: 'application/json' },
        ...this.routing(endpoints),
        baseUrl: endpoints?.webUrl ?? gh.webUrl,
      },
    );
    if (!res.data.access_token) return null;
    return { token: res.data.access_token, expiresAt: res.data.expires_in ? new Date(Date.now() + res.data.expires_in * 1000) : null };
  }

  /** GitHub's App manifest conversion: the code (one hour, single use) becomes the new App's id, key and secrets. Unauthenticated. */
  async convertManifest(code: string): Promise<ConvertedApp> {
    return (await this.call<ConvertedApp>('POST /app-manifests/{code}/conversions', { code }, { notFound: githubManifestCodeInvalid() })).data;
  }

  /** Per-call base URL and, behind a gateway, a fetch through its proxy. */
  private routing(endpoints?: GithubEndpoints): Params {
    if (!endpoints) return {};
    return { baseUrl: endpoints.apiUrl, ...(endpoints.proxyUrl ? { request: { fetch: this.outbound.fetchVia(endpoints.proxyUrl) } } : {}) };
  }

  private async call<T>(route: string, params: Params, opts?: GithubCallOptions): Promise<GithubResponse<T>> {
    try {
      const res = await this.octokit.request(route, { ...this.routing(opts?.endpoints), ...params });
      return { status: res.status, data: res.data as T, headers: res.headers as GithubResponse<T>['headers'] };
    } catch (err) {
      throw translateGithubError(err, opts);
    }
  }

  private currentJwt(): string {
    const now = Date.now();
    if (!this.appJwt || this.appJwt.expiresAtMs - JWT_REFRESH_MARGIN_MS <= now) {
      const gh = this.config.github;
      this.privateKey ??= loadAppPrivateKey(gh.privateKey ?? '');
      this.appJwt = signAppJwt(this.privateKey, gh.appId ?? gh.clientId ?? '', now);
    }
    return this.appJwt.jwt;
  }
}
