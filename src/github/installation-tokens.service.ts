import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { endpointsKey, GithubClient, GithubEndpoints } from './github-client.service';
import { InstallationLocalCache } from './installation-local-cache';
import { InstallationToken, InstallationTokenCache } from './installation-token.cache';
import { installationNotFound, tooManyRepositories } from './github.errors';

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
  repositories?: Array<{ id: number; node_id: string; name: string; full_name: string; private: boolean }>;
}

/** Order-insensitive identity of a narrowing, so equal requests share a cache entry and an in-flight mint. */
export function narrowingKey(n: TokenNarrowing): string {
  // The common request asks for the installation's full access: no canonicalization or hash needed.
  if (!n.repositories?.length && !n.repository_ids?.length && (!n.permissions || Object.keys(n.permissions).length === 0)) return 'all';
  const canonical = JSON.stringify({
    r: [...new Set(n.repositories ?? [])].sort(),
    i: [...new Set(n.repository_ids ?? [])].sort((a, b) => a - b),
    p: Object.entries(n.permissions ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
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

  constructor(
    private readonly github: GithubClient,
    private readonly cache: InstallationTokenCache,
    private readonly local: InstallationLocalCache,
  ) {}

  /** `endpoints`: a GitHub Enterprise Server (app connections); its tokens are cached apart from the hub's GitHub. */
  async token(installationId: string, narrowing: TokenNarrowing = {}, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const count = (narrowing.repositories?.length ?? 0) + (narrowing.repository_ids?.length ?? 0);
    if (count > MAX_TOKEN_REPOSITORIES) {
      throw tooManyRepositories(MAX_TOKEN_REPOSITORIES);
    }
    const key = this.cache.key(installationId, `${endpointsKey(endpoints)}${narrowingKey(narrowing)}`);
    const local = this.local.get<InstallationToken>(installationId, key);
    if (local && freshFor(local) > 0) return local;
    const cached = await this.cache.get(key);
    if (cached && freshFor(cached) > 0) {
      this.local.set(installationId, key, cached, freshFor(cached));
      return cached;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.mintOnce(installationId, narrowing, key, endpoints).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Mints under the cross-replica lock, or waits for the replica that holds it to cache its token. */
  private async mintOnce(installationId: string, narrowing: TokenNarrowing, key: string, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const owner = randomUUID();
    const until = Date.now() + MINT_WAIT_MS;
    while (!(await this.cache.acquireMintLock(key, owner, MINT_LOCK_MS))) {
      const cached = await this.cache.get(key);
      if (cached && freshFor(cached) > 0) {
        this.local.set(installationId, key, cached, freshFor(cached));
        return cached;
      }
      // The holder is slow or gone: mint rather than keep the caller waiting.
      if (Date.now() > until) return this.mint(installationId, narrowing, key, endpoints);
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      // Another replica may have minted and released the lock just before we took it.
      const cached = await this.cache.get(key);
      if (cached && freshFor(cached) > 0) return cached;
      return await this.mint(installationId, narrowing, key, endpoints);
    } finally {
      await this.cache.releaseMintLock(key, owner);
    }
  }

  async evict(installationId: string): Promise<void> {
    await this.cache.evictInstallation(installationId);
    await this.local.forget(installationId);
  }

  private async mint(installationId: string, narrowing: TokenNarrowing, key: string, endpoints?: GithubEndpoints): Promise<InstallationToken> {
    const res = await this.github.asApp<MintResponse>(
      'POST /app/installations/{installation_id}/access_tokens',
      { installation_id: Number(installationId), ...narrowing },
      { notFound: installationNotFound(installationId), endpoints },
    );
    const d = res.data;
    const token: InstallationToken = {
      token: d.token,
      expires_at: d.expires_at,
      permissions: d.permissions ?? {},
      repository_selection: d.repository_selection ?? 'all',
      ...(d.repositories ? { repositories: d.repositories.map((r) => ({ id: r.id, node_id: r.node_id, name: r.name, full_name: r.full_name, private: r.private })) } : {}),
    };
    await this.cache.set(key, token, freshFor(token));
    this.local.set(installationId, key, token, freshFor(token));
    return token;
  }
}

/** How long a token may still be handed out. */
function freshFor(token: InstallationToken): number {
  return Date.parse(token.expires_at) - TOKEN_REFRESH_MARGIN_MS - Date.now();
}
