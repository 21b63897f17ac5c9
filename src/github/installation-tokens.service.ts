import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { MetricsService } from '../health/metrics.service';
import { endpointsKey, GithubClient, GithubEndpoints } from './github-client.service';
import { InstallationLocalCache } from './installation-local-cache';
import { GithubRepositoryObject, InstallationToken, InstallationTokenCache } from './installation-token.cache';
import { installationNotFound, invalidPermissionLevel, tooManyRepositories } from './github.errors';

/** Permission levels GitHub knows; anything else is refused before GitHub is asked. */
const PERMISSION_LEVELS = new Set(['read', 'write', 'admin']);
const LEVEL_RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };
/** `narrowingKey` of a token carrying the installation's own permissions (un-narrowed, or narrowed by repository only). */
const INSTALLATION_PERMISSIONS_PREFIX = 'r:';

/** GitHub's limit on repositories per installation token. */
export const MAX_TOKEN_REPOSITORIES = 500;
/** A cached token is handed out only while it has at least this long to live. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenNarrowing {
  repositories?: string[];
  repository_ids?: number[];
  permissions?: Record<string, string>;
}

interface MintResponse {
  token: string;
  expires_at: string;
  permissions?: Record<string, string>;
  repository_selection?: string;
  repositories?: GithubRepositoryObject[];
}

/**
 * Order-insensitive identity of a narrowing, so equal requests share a cache entry and an in-flight mint. Its first
 * characters say whose permissions the token carries: `all` and `r:` the installation's, `p:` requested ones.
 * The narrowing is checked first (more than 500 repositories, a permission level GitHub does not know: thrown).
 */
export function narrowingKey(n: TokenNarrowing): string {
  const count = (n.repositories?.length ?? 0) + (n.repository_ids?.length ?? 0);
  if (count > MAX_TOKEN_REPOSITORIES) throw tooManyRepositories(MAX_TOKEN_REPOSITORIES);
  const explicitPermissions = !!n.permissions && Object.keys(n.permissions).length > 0;
  // The common request asks for the installation's full access: no canonicalization or hash needed.
  if (count === 0 && !explicitPermissions) return 'all';
  // Callers repeat the same narrowing: its key is remembered by the request's own spelling of it, once checked (a
  // spelling found here passed the checks when it was remembered).
  const spelled = JSON.stringify([n.repositories, n.repository_ids, n.permissions]);
  const known = NARROWING_KEYS.get(spelled);
  if (known !== undefined) return known;
  if (n.permissions) assertPermissionLevels(n.permissions);
  const key = canonicalNarrowingKey(n, explicitPermissions);
  // Short spellings only (a few repositories): the memory stays bounded, a long narrowing is canonicalized each time.
  if (spelled.length <= MAX_REMEMBERED_SPELLING) {
    if (NARROWING_KEYS.size >= MAX_NARROWING_KEYS) NARROWING_KEYS.clear();
    NARROWING_KEYS.set(spelled, key);
  }
  return key;
}

const NARROWING_KEYS = new Map<string, string>();
const MAX_NARROWING_KEYS = 10_000;
const MAX_REMEMBERED_SPELLING = 2048;

function canonicalNarrowingKey(n: TokenNarrowing, explicitPermissions: boolean): string {
  const canonical = JSON.stringify({
    r: [...new Set(n.repositories ?? [])].sort(),
    i: [...new Set(n.repository_ids ?? [])].sort((a, b) => a - b),
    p: Object.entries(n.permissions ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  });
  return `${explicitPermissions ? 'p:' : INSTALLATION_PERMISSIONS_PREFIX}${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

/**
 * Whether a cached token still carries the permissions a mint would give it now that the installation holds
 * `granted`: a token with the installation's permissions must equal them; one with requested permissions must still
 * be covered by them.
 */
export function tokenStillMatches(narrowing: string, token: InstallationToken, granted: Record<string, string>): boolean {
  const own = Object.entries(token.permissions);
  if (narrowing.endsWith('all') || narrowing.includes(INSTALLATION_PERMISSIONS_PREFIX)) {
    return own.length === Object.keys(granted).length && own.every(([k, v]) => granted[k] === v);
  }
  return own.every(([k, v]) => (LEVEL_RANK[granted[k]] ?? 0) >= (LEVEL_RANK[v] ?? Infinity));
}

/** A token's key in this process's local layer (within its installation's entries) and in Redis. */
interface TokenKeys {
  local: string;
  shared: string;
}

/** How long a replica holds the mint lock at most, and how long the others wait for its token. */
const MINT_LOCK_MS = 10_000;
const MINT_WAIT_MS = 5_000;

/**
 * Installation tokens on demand: served from the sealed cache while fresh; concurrent requests for the same
 * installation and narrowing share one upstream mint, in the process and across replicas (a Redis lock: the
 * replica holding it mints, the others wait for its token in the shared cache).
 */
@Injectable()
export class InstallationTokensService {
  private readonly inFlight = new Map<string, Promise<InstallationToken>>();
  /** Bound counter children (no label hashing per request): served from a cache, minted, joined an in-flight mint. */
  private readonly counted: { hit: { inc(): void }; miss: { inc(): void }; shared: { inc(): void }; error: { inc(): void } };

  constructor(
    private readonly github: GithubClient,
    private readonly cache: InstallationTokenCache,
    private readonly local: InstallationLocalCache,
    private readonly metrics: MetricsService,
  ) {
    const mints = metrics.tokenMints;
    this.counted = { hit: mints.cell('hit'), miss: mints.cell('miss'), shared: mints.cell('shared'), error: mints.cell('error') };
  }

  /** `endpoints`: a GitHub Enterprise Server (app connections); its tokens are cached apart from the hub's GitHub. */
  async token(installationId: string, narrowing: TokenNarrowing = {}, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const localKey = this.validatedLocalKey(narrowing, endpoints);
    const local = this.localHit(installationId, localKey);
    if (local) return local;
    const keys: TokenKeys = { local: localKey, shared: this.cache.key(installationId, localKey) };
    // The shared cache (Redis), read once for every request that missed the local layer at the same moment.
    const cached = await this.local.load(
      installationId,
      keys.local,
      async () => {
        const found = await this.cache.get(keys.shared);
        if (!found || freshFor(found) <= 0) return null;
        this.github.noteInstallationToken(found.token, installationId);
        return found;
      },
      (found) => (found ? freshFor(found) : 0),
    );
    if (cached && freshFor(cached) > 0) {
      this.counted.hit.inc();
      return cached;
    }
    let pending = this.inFlight.get(keys.shared);
    if (pending) {
      this.counted.shared.inc();
    } else {
      pending = this.mintOnce(installationId, narrowing, keys, endpoints).finally(() => this.inFlight.delete(keys.shared));
      this.inFlight.set(keys.shared, pending);
    }
    return pending;
  }

  /**
   * `token`'s answer when this process's local layer holds it (the common case of a busy caller), without a promise:
   * the same checks of the narrowing first (thrown), then the local layer; undefined when `token` must look further.
   */
  cachedToken(installationId: string, narrowing: TokenNarrowing = {}, endpoints?: GithubEndpoints): InstallationToken | undefined {
    return this.localHit(installationId, this.validatedLocalKey(narrowing, endpoints));
  }

  /**
   * The narrowing checked (too many repositories, unknown permission levels) and its key in the installation's local
   * entries: the narrowing key itself (`all` for the common request, a constant), behind the GitHub Enterprise
   * Server's endpoints key for an app connection's tokens. Redis's key adds the installation's prefix.
   */
  private validatedLocalKey(narrowing: TokenNarrowing, endpoints?: GithubEndpoints): string {
    const key = narrowingKey(narrowing);
    return endpoints ? `${endpointsKey(endpoints)}${key}` : key;
  }

  private localHit(installationId: string, localKey: string): InstallationToken | undefined {
    const local = this.local.get<InstallationToken>(installationId, localKey);
    if (!local || freshFor(local) <= 0) return undefined;
    this.counted.hit.inc();
    return local;
  }

  /** Mints under the cross-replica lock, or waits for the replica that holds it to cache its token. */
  private async mintOnce(installationId: string, narrowing: TokenNarrowing, keys: TokenKeys, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const key = keys.shared;
    const owner = randomUUID();
    const until = Date.now() + MINT_WAIT_MS;
    while (!(await this.cache.acquireMintLock(key, owner, MINT_LOCK_MS))) {
      const cached = await this.cache.get(key);
      if (cached && freshFor(cached) > 0) {
        this.counted.shared.inc();
        this.github.noteInstallationToken(cached.token, installationId);
        this.local.set(installationId, keys.local, cached, freshFor(cached));
        return cached;
      }
      // The holder is slow or gone: mint rather than keep the caller waiting.
      if (Date.now() > until) return this.mint(installationId, narrowing, keys, endpoints);
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      // Another replica may have minted and released the lock just before we took it.
      const cached = await this.cache.get(key);
      if (cached && freshFor(cached) > 0) {
        this.counted.shared.inc();
        return cached;
      }
      return await this.mint(installationId, narrowing, keys, endpoints);
    } finally {
      await this.cache.releaseMintLock(key, owner);
    }
  }

  /**
   * After the installation's permissions changed (`new_permissions_accepted`): drops the cached tokens whose
   * permissions a new mint would not reproduce, here and in every process's local layer. Answers how many.
   */
  async dropStale(installationId: string, granted: Record<string, string>): Promise<number> {
    const stale = (await this.cache.entries(installationId)).filter((e) => !tokenStillMatches(e.narrowing, e.value, granted));
    await this.cache.drop(stale.map((e) => e.key));
    await this.local.forget(installationId);
    return stale.length;
  }

  /** The installation of a token this hub minted and that has not expired, or null. */
  mintedFor(token: string): Promise<string | null> {
    return this.cache.mintedFor(token);
  }

  async evict(installationId: string): Promise<void> {
    await this.cache.evictInstallation(installationId);
    await this.local.forget(installationId);
  }

  private async mint(installationId: string, narrowing: TokenNarrowing, keys: TokenKeys, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const started = performance.now();
    let res: Awaited<ReturnType<typeof this.github.asApp<MintResponse>>>;
    try {
      res = await this.github.asApp<MintResponse>(
        'POST /app/installations/{installation_id}/access_tokens',
        { installation_id: Number(installationId), ...narrowing },
        { notFound: installationNotFound(installationId), endpoints },
      );
    } catch (err) {
      this.counted.error.inc();
      this.metrics.tokenMintUpstream.observe({ outcome: 'error' }, (performance.now() - started) / 1000);
      throw err;
    }
    this.counted.miss.inc();
    this.metrics.tokenMintUpstream.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
    const d = res.data;
    this.github.noteInstallationToken(d.token, installationId);
    const token: InstallationToken = {
      token: d.token,
      expires_at: d.expires_at,
      permissions: d.permissions ?? {},
      repository_selection: d.repository_selection ?? 'all',
      ...(d.repositories ? { repositories: d.repositories } : {}),
    };
    await this.cache.rememberMinted(token.token, installationId, Date.parse(token.expires_at) - Date.now());
    await this.cache.set(keys.shared, token, freshFor(token));
    this.local.set(installationId, keys.local, token, freshFor(token));
    return token;
  }
}

/** 422 for a permission level GitHub does not know, before any upstream call. */
function assertPermissionLevels(permissions: Record<string, string>): void {
  for (const [name, level] of Object.entries(permissions)) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name) || typeof level !== 'string' || !PERMISSION_LEVELS.has(level)) {
      throw invalidPermissionLevel(String(name).slice(0, 64));
    }
  }
}

/** How long a token may still be handed out. */
/** Each token's expiry in epoch milliseconds, parsed once (a cached token is checked on every request). */
const EXPIRES_AT_MS = new WeakMap<InstallationToken, number>();

function freshFor(token: InstallationToken): number {
  let expires = EXPIRES_AT_MS.get(token);
  if (expires === undefined) {
    expires = Date.parse(token.expires_at);
    EXPIRES_AT_MS.set(token, expires);
  }
  return expires - TOKEN_REFRESH_MARGIN_MS - Date.now();
}
