import { Injectable } from '@nestjs/common';
import { HubError } from '../common/hub-error';
import { InstallationTokensService } from '../github/installation-tokens.service';
import { GithubOrgFetcher, readable } from './github-org-fetcher';
import { adminTeamsByRepo, OrgLevelData, openAlertsByRepo, TeamRepositories } from './org-level-data';
import { ScanCache } from './scan-cache';
import { githubRequestFailed } from '../github/github.errors';
import { notVisible } from './scan.errors';
import { ErrorCode } from '../common/error-codes';

const PER_PAGE = 100;
/** Bounds a list read so a misbehaving endpoint cannot keep a scan paging forever (100,000 items). */
const MAX_PAGES = 1000;
const CACHE_ENTRY = 'org-level';

/** A REST list GitHub refused: not visible to this installation (404 also when the feature is not enabled). */
class NotVisible extends Error {}

/** One page of a list as kept beside its ETag. */
interface KeptPage<R> {
  items: R[];
  hasNextPage: boolean;
}

interface MinimalRepository {
  id: number;
  role_name?: string;
  permissions?: { admin?: boolean };
}

/**
 * Reads what GitHub lists organization-wide once per scan of an installation: the teams with admin permission on each
 * repository (`GET /orgs/{org}/teams`, then each team's repositories) and open secret scanning alerts
 * (`GET /orgs/{org}/secret-scanning/alerts`). Its cost grows with teams and alerts, not repositories. Every page is a
 * conditional request against the ETag kept from the last read, and the result is cached with the installation's
 * pages, so a rescan of an unchanged organization reads nothing (or gets 304s after an invalidation).
 */
@Injectable()
export class GithubOrgLevelReader {
  constructor(
    private readonly fetcher: GithubOrgFetcher,
    private readonly tokens: InstallationTokensService,
    private readonly cache: ScanCache,
  ) {}

  /** The installation's organization-level data and the GitHub requests reading it cost. */
  async read(installationId: string, login: string, accountType: string, signal?: AbortSignal): Promise<{ data: OrgLevelData; requests: number }> {
    const { permissions } = await this.tokens.token(installationId);
    const teamsReadable = readable(permissions.members);
    const alertsReadable = readable(permissions.secret_scanning_alerts);
    const entry = `${CACHE_ENTRY}:${Number(teamsReadable)}${Number(alertsReadable)}`;
    const cached = await this.cache.get<OrgLevelData>(installationId, entry);
    if (cached) return { data: cached, requests: 0 };
    const counter = { requests: 0 };
    const data: OrgLevelData = { adminTeams: null, adminTeamsReason: null, secretScanningAlerts: null, secretScanningReason: null };
    if (accountType !== 'Organization') {
      // A personal account has no teams; its secret scanning alerts are not listed account-wide.
      data.adminTeams = {};
      data.secretScanningReason = 'secret scanning: only listed for organization accounts';
    } else {
      if (!teamsReadable) data.adminTeamsReason = 'admin teams: the installation lacks members:read';
      else {
        try {
          data.adminTeams = adminTeamsByRepo(await this.teams(installationId, login, counter, signal));
        } catch (err) {
          if (!(err instanceof NotVisible)) throw err;
          data.adminTeamsReason = `admin teams: ${err.message}`;
        }
      }
      if (!alertsReadable) data.secretScanningReason = 'secret scanning: the installation lacks secret_scanning_alerts:read';
      else {
        try {
          const alerts = await this.list<{ repository: { id: number } }, number>(installationId, 'GET /orgs/{org}/secret-scanning/alerts', { org: login, state: 'open' }, `alerts:${login}`, (a) => a.repository.id, counter, signal);
          data.secretScanningAlerts = openAlertsByRepo(alerts);
        } catch (err) {
          if (!(err instanceof NotVisible)) throw err;
          data.secretScanningReason = `secret scanning: ${err.message}`;
        }
      }
    }
    if (!data.adminTeamsReason && !data.secretScanningReason) await this.cache.set(installationId, entry, data);
    return { data, requests: counter.requests };
  }

  private async teams(installationId: string, login: string, counter: { requests: number }, signal?: AbortSignal): Promise<TeamRepositories[]> {
    const slugs = await this.list<{ slug: string }, string>(installationId, 'GET /orgs/{org}/teams', { org: login }, `teams:${login}`, (t) => t.slug, counter, signal);
    const out: TeamRepositories[] = [];
    for (const slug of slugs) {
      const repos = await this.list<MinimalRepository, { id: number; admin: boolean }>(
        installationId,
        'GET /orgs/{org}/teams/{team_slug}/repos',
        { org: login, team_slug: slug },
        `team-repos:${login}:${slug}`,
        (r) => ({ id: r.id, admin: r.permissions?.admin === true || r.role_name === 'admin' }),
        counter,
        signal,
      );
      out.push({ slug, repos });
    }
    return out;
  }

  /**
   * Every page of a REST list (per_page=100, following GitHub's Link header), each a conditional request: a 304 reuses
   * the kept, reduced page. 403 (permission) and 404 (not enabled or not visible) become NotVisible.
   */
  private async list<T, R>(installationId: string, route: string, params: Record<string, unknown>, entry: string, reduce: (item: T) => R, counter: { requests: number }, signal?: AbortSignal): Promise<R[]> {
    const out: R[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const key = `${entry}:${page}`;
      const kept = await this.cache.getValidated<KeptPage<R>>(installationId, key);
      let current: KeptPage<R>;
      try {
        counter.requests++;
        const res = await this.fetcher.conditionalGet<T[]>(installationId, route, { ...params, per_page: PER_PAGE, page }, kept?.etag ?? null, notVisible(), signal);
        if (res.notModified && kept) current = kept.value;
        else if (res.notModified) throw githubRequestFailed(`304 to an unconditional ${route}`);
        else {
          current = { items: res.data.map(reduce), hasNextPage: res.hasNextPage };
          await this.cache.setValidated(installationId, key, res.etag, current);
        }
      } catch (err) {
        if (err instanceof HubError && err.code === ErrorCode.GithubPermissionMissing) throw new NotVisible(`not visible (${(err.details as { permission?: string } | undefined)?.permission ?? 'permission'} not granted)`);
        if (err instanceof HubError && err.code === ErrorCode.GithubNotVisible) throw new NotVisible('not visible (not enabled, or not available to the installation)');
        throw err;
      }
      out.push(...current.items);
      if (!current.hasNextPage) break;
    }
    return out;
  }
}
