import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { optionalRedis, REDIS_CLIENT } from '../common/redis.module';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { endpointsKey, GithubClient, GithubEndpoints } from './github-client.service';
import { InstallationTokensService } from './installation-tokens.service';

export interface CachedRepository {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  /** Absent from lists cached before they were kept (PostHog's picker treats them as optional too). */
  default_branch?: string;
  language?: string | null;
  pushed_at?: string | null;
  archived?: boolean;
}

const CACHE_TTL_S = 600;

/** The repositories an installation reaches, cached (not secret) and refreshed by `installation_repositories` webhooks. */
@Injectable()
export class GithubRepositoriesService {
  private readonly memory = new Map<string, { repos: CachedRepository[]; expiresAtMs: number }>();
  /** Without Redis: until when a client-asked refresh of a key is answered from the cache. */
  private readonly recentRefresh = new Map<string, number>();

  constructor(
    private readonly github: GithubClient,
    private readonly tokens: InstallationTokensService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** `endpoints`: a GitHub Enterprise Server (app connections), cached apart from the hub's GitHub. */
  async list(installationId: string, endpoints?: GithubEndpoints): Promise<CachedRepository[]> {
    return (await this.read(installationId, endpoints)) ?? this.refresh(installationId, endpoints);
  }

  /** Re-reads the list from GitHub and replaces the cached one. */
  async refresh(installationId: string, endpoints?: GithubEndpoints): Promise<CachedRepository[]> {
    const { token } = await this.tokens.token(installationId, {}, endpoints);
    const repos = (await this.github.paginateWithToken<CachedRepository>(token, 'GET /installation/repositories', {}, { endpoints })).map((r) => ({
      id: r.id,
      node_id: r.node_id,
      name: r.name,
      full_name: r.full_name,
      private: r.private,
      default_branch: r.default_branch,
      language: r.language ?? null,
      pushed_at: r.pushed_at ?? null,
      archived: r.archived,
    }));
    if (this.redis) await optionalRedis(this.redis, (redis) => redis.set(this.key(installationId, endpoints), JSON.stringify(repos), 'EX', CACHE_TTL_S), null);
    else this.memory.set(this.key(installationId, endpoints), { repos, expiresAtMs: Date.now() + CACHE_TTL_S * 1000 });
    return repos;
  }

  /**
   * A refresh asked for by a client: at most one per installation every `minIntervalSeconds` (PostHog's
   * GITHUB_REPOSITORY_REFRESH_COOLDOWN_SECONDS); within it the cached list is the answer.
   */
  async refreshAtMostEvery(installationId: string, minIntervalSeconds: number): Promise<CachedRepository[]> {
    const key = `${this.key(installationId)}:refreshed`;
    let claimed: boolean;
    if (this.redis) claimed = (await optionalRedis(this.redis, (redis) => redis.set(key, '1', 'EX', minIntervalSeconds, 'NX'), 'OK')) === 'OK';
    else {
      const until = this.recentRefresh.get(key) ?? 0;
      claimed = until <= Date.now();
      if (claimed) this.recentRefresh.set(key, Date.now() + minIntervalSeconds * 1000);
    }
    if (!claimed) {
      const cached = await this.read(installationId);
      if (cached) return cached;
    }
    try {
      return await this.refresh(installationId);
    } catch (err) {
      // A failed refresh does not count: the next one may ask GitHub again.
      if (this.redis) await optionalRedis(this.redis, (redis) => redis.del(key), 0);
      else this.recentRefresh.delete(key);
      throw err;
    }
  }

  /** The cached list, without asking GitHub; null when nothing is cached. */
  cached(installationId: string, endpoints?: GithubEndpoints): Promise<CachedRepository[] | null> {
    return this.read(installationId, endpoints);
  }

  private async read(installationId: string, endpoints?: GithubEndpoints): Promise<CachedRepository[] | null> {
    if (this.redis) {
      const raw = await optionalRedis(this.redis, (redis) => redis.get(this.key(installationId, endpoints)), null);
      return raw ? (JSON.parse(raw) as CachedRepository[]) : null;
    }
    const hit = this.memory.get(this.key(installationId, endpoints));
    return hit && hit.expiresAtMs > Date.now() ? hit.repos : null;
  }

  private key(installationId: string, endpoints?: GithubEndpoints): string {
    const where = endpointsKey(endpoints);
    return `${this.config.queuePrefix}:github:repos:${installationId}${where ? `:${where}` : ''}`;
  }
}
