import { Inject, Injectable, Logger } from '@nestjs/common';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubClient, GraphqlError, RateLimitHeaders } from '../github/github-client.service';
import { InstallationTokensService } from '../github/installation-tokens.service';
import { defaultSecurityPolicy, errorsByNode, QueryFeatures, REPOSITORIES_PER_PAGE, repositoriesQuery, RepositoriesResponse, snapshotOf } from './github-org-query';
import type { RepoSnapshot } from './repo-snapshot';
import { noCost, noteRateLimit, ScanCost } from './scan-cost';
import { ScanThrottle, sleep } from './scan-throttle';
import { graphqlRateLimited, scanUnreadable } from './scan.errors';

export interface FetchedPage {
  repos: RepoSnapshot[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  /** What reading this page cost GitHub (the successful request; refused ones are not charged points). */
  cost: ScanCost;
}

/** Transient GitHub failures (5xx, network) retried per page before the scan job gives up. */
const TRANSIENT_RETRIES = 3;
/** The smallest page a GraphQL timeout halves the page size down to (then the timeout fails the page). */
const MIN_PAGE = 10;
/** GitHub's answer when a query ran out of time (200, `data: null`): the page is read again, smaller. */
const GRAPHQL_TIMEOUT = /timeout|Something went wrong while executing your query/i;

export const readable = (level: string | undefined) => level === 'read' || level === 'write' || level === 'admin';

/**
 * Reads an installation's repositories in pages of 100 through GitHub's GraphQL API, within the shared throttle:
 * a rate limit pauses every worker until GitHub's reset (bounded per wait) and the page is retried, so a rate-limited
 * scan slows down instead of failing. Pages are never cached: GitHub's GraphQL API has no conditional requests, so
 * only a fresh read tells what GitHub holds now (a 10,000-repository organization is 100 requests).
 */
@Injectable()
export class GithubOrgFetcher {
  private readonly logger = new Logger('GithubOrgFetcher');

  constructor(
    private readonly github: GithubClient,
    private readonly tokens: InstallationTokensService,
    private readonly throttle: ScanThrottle,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Which parts of the query this installation's permissions allow. */
  async features(installationId: string): Promise<QueryFeatures> {
    const { permissions } = await this.tokens.token(installationId);
    return { administration: readable(permissions.administration), contents: readable(permissions.contents), vulnerabilityAlerts: readable(permissions.vulnerability_alerts), webhooks: readable(permissions.repository_hooks) };
  }

  /**
   * One page of repositories after `cursor`. A page GitHub could not compute in time (large workflow files, many
   * rulesets) is asked again at half the size, down to MIN_PAGE repositories; `pageSize` keeps the size that worked
   * for the rest of the installation.
   */
  async page(installationId: string, login: string, features: QueryFeatures, cursor: string | null, signal?: AbortSignal, pageSize = { first: REPOSITORIES_PER_PAGE }): Promise<FetchedPage> {
    const query = repositoriesQuery(features);
    const cost = noCost();
    let res: { data: RepositoriesResponse | null; errors: GraphqlError[]; rateLimit: RateLimitHeaders | null };
    for (;;) {
      res = await this.withRateLimits(installationId, signal, async () => {
        const { token } = await this.tokens.token(installationId);
        const out = await this.github.graphqlWithToken<RepositoriesResponse>(token, query, { login, first: pageSize.first, after: cursor });
        const limited = out.errors.find((e) => e.type === 'RATE_LIMITED');
        if (limited) throw graphqlRateLimited(limited.message);
        return out;
      });
      cost.graphqlRequests++;
      const timedOut = !res.data?.repositoryOwner && res.errors.some((e) => GRAPHQL_TIMEOUT.test(e.message));
      if (!timedOut || pageSize.first <= MIN_PAGE) break;
      pageSize.first = Math.max(MIN_PAGE, Math.floor(pageSize.first / 2));
      this.logger.warn(`GitHub timed out on a page of ${login}: asking again for ${pageSize.first} repositories per page`);
    }
    const connection = res.data?.repositoryOwner?.repositories;
    if (!connection) {
      const reason = res.errors.map((e) => e.message).join('; ') || `GitHub account '${login}' was not found`;
      throw scanUnreadable(login, reason);
    }
    const nodeErrors = errorsByNode(res.errors);
    cost.graphqlPoints = res.data?.rateLimit?.cost ?? 0;
    noteRateLimit(cost, res.rateLimit);
    const orgPolicy = defaultSecurityPolicy(res.data?.repositoryOwner?.healthFiles);
    const repos = connection.nodes.map((node, i): RepoSnapshot | null => (node ? snapshotOf(node, features, nodeErrors.get(i), orgPolicy) : null));
    const page: FetchedPage = {
      repos: repos.filter((r): r is RepoSnapshot => !!r),
      totalCount: connection.totalCount,
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
      cost,
    };
    for (const [i, reasons] of nodeErrors) if (!connection.nodes[i]) this.logger.warn(`repository ${i} of a page of ${login} was unreadable: ${reasons.join('; ')}`);
    return page;
  }

  /**
   * A conditional REST GET with the installation's token, inside the throttle (rate limits wait, transient failures
   * retry). `notFound` is what a GitHub 404 becomes.
   */
  conditionalGet<T>(installationId: string, route: string, params: Record<string, unknown>, etag: string | null, notFound: HubError, signal?: AbortSignal) {
    return this.withRateLimits(installationId, signal, async () => {
      const { token } = await this.tokens.token(installationId);
      return this.github.conditionalWithToken<T>(token, route, etag, params, { notFound });
    });
  }

  /** Runs one GitHub call inside the throttle; rate limits pause the installation and the call is retried. */
  private async withRateLimits<T>(installationId: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    for (let transient = 0; ; ) {
      await this.throttle.acquire(installationId, signal);
      if (signal?.aborted) throw new ScanAborted();
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof HubError)) throw err;
        if (err.status === 429) {
          const waitS = Math.min(Number(err.headers?.['retry-after']) || 60, this.config.scan.rateLimitMaxWaitSeconds);
          this.logger.warn(`GitHub rate limit for installation ${installationId}: pausing ${waitS}s`);
          await this.throttle.pause(installationId, Date.now() + waitS * 1000);
          continue;
        }
        if (err.status === 502 && err.code === 'GITHUB_UNAVAILABLE' && transient++ < TRANSIENT_RETRIES) {
          await sleep(500 * 2 ** transient, signal);
          continue;
        }
        throw err;
      }
    }
  }
}

/** The scan was cancelled or its lease passed to another worker: stop quietly. */
export class ScanAborted extends Error {
  constructor() {
    super('scan aborted');
  }
}
