import { Injectable } from '@nestjs/common';
import { HubError } from '../common/hub-error';
import { InstallationTokensService } from '../github/installation-tokens.service';
import { GithubOrgFetcher, readable } from './github-org-fetcher';
import { adminTeamsByRepo, OrgLevelData, openAlertsByRepo, SecurityAnalysis, SecurityAndAnalysisField, securityAnalysisOf, TeamRepositories } from './org-level-data';
import { ActionsDefaults, BASE_PERMISSIONS, BasePermission, OrgSettings, OrgSnapshot } from './org-settings';
import type { RepoSnapshot } from './repo-snapshot';
import { RepoResultStatus } from './scan.enums';
import { ScanCache } from './scan-cache';
import { noCost, noteRateLimit, ScanCost } from './scan-cost';
import { githubRequestFailed } from '../github/github.errors';
import { notVisible } from './scan.errors';
import { ErrorCode } from '../common/error-codes';

const PER_PAGE = 100;
/** Bounds a list read so a misbehaving endpoint cannot keep a scan paging forever (100,000 items). */
const MAX_PAGES = 1000;

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
  security_and_analysis?: SecurityAndAnalysisField | null;
}

interface OrganizationFull {
  two_factor_requirement_enabled?: boolean | null;
  default_repository_permission?: string | null;
  members_can_create_public_repositories?: boolean;
  members_can_fork_private_repositories?: boolean | null;
}

interface Hook {
  id: number;
  active: boolean;
  config: { url?: string; secret?: string; insecure_ssl?: string | number };
}

/** Why a repository webhook is insecure (null: it is not), as legitify's webhook policies judge them. */
export function webhookProblems(hook: Hook): string | null {
  const url = hook.config.url ?? '';
  const problems = [
    !hook.config.secret ? 'no secret' : null,
    /^http:\/\//i.test(url) ? 'plain HTTP' : null,
    String(hook.config.insecure_ssl ?? '0') !== '0' ? 'TLS verification off' : null,
  ].filter((p): p is string => !!p);
  return problems.length ? `${hook.id} ${url.replace(/[?#].*$/, '')}: ${problems.join(', ')}` : null;
}

/**
 * Reads what GitHub lists organization-wide once per scan of an installation: the teams with admin permission on each
 * repository (`GET /orgs/{org}/teams`, then each team's repositories) and open secret scanning alerts
 * (`GET /orgs/{org}/secret-scanning/alerts`). Its cost grows with teams and alerts, not repositories. Every page is a
 * conditional request against the ETag kept from the last read: a rescan always asks GitHub, and an unchanged list
 * answers 304 (free of rate limit), its kept body reused.
 */
@Injectable()
export class GithubOrgLevelReader {
  constructor(
    private readonly fetcher: GithubOrgFetcher,
    private readonly tokens: InstallationTokensService,
    private readonly cache: ScanCache,
  ) {}

  /** The installation's organization-level data and what reading it cost. */
  async read(installationId: string, login: string, accountType: string, accountId: string, signal?: AbortSignal): Promise<{ data: OrgLevelData; cost: ScanCost }> {
    const { permissions } = await this.tokens.token(installationId);
    const teamsReadable = readable(permissions.members);
    const alertsReadable = readable(permissions.secret_scanning_alerts);
    const counter = noCost();
    const data: OrgLevelData = { adminTeams: null, adminTeamsReason: null, secretScanningAlerts: null, secretScanningReason: null, securityAnalysis: null, securityAnalysisReason: null, org: null };
    if (accountType !== 'Organization') {
      // A personal account has no teams; its secret scanning alerts and settings are not listed account-wide.
      data.adminTeams = {};
      data.secretScanningReason = 'secret scanning: only listed for organization accounts';
    } else {
      if (!readable(permissions.administration)) data.securityAnalysisReason = 'secret scanning coverage: the installation lacks administration:read';
      else {
        try {
          const repos = await this.list<MinimalRepository, [number, SecurityAnalysis]>(installationId, 'GET /orgs/{org}/repos', { org: login, type: 'all' }, `repos:${login}`, (r) => [r.id, securityAnalysisOf(r.security_and_analysis)], counter, signal);
          data.securityAnalysis = Object.fromEntries(repos.map(([id, a]) => [String(id), a]));
        } catch (err) {
          if (!(err instanceof NotVisible)) throw err;
          data.securityAnalysisReason = `secret scanning coverage: ${err.message}`;
        }
      }
      data.org = await this.organization(installationId, login, accountId, permissions, counter, signal);
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
    return { data, cost: counter };
  }

  /**
   * The organization's own settings: `GET /orgs/{org}` (2FA, base permission, public repositories, private forking),
   * the Actions defaults (`GET /orgs/{org}/actions/permissions` and `.../permissions/workflow`), all three with
   * organization_administration:read, and its owners (`GET /orgs/{org}/members?role=admin`, members:read). Four
   * conditional requests per organization, whatever its size.
   */
  private async organization(installationId: string, login: string, accountId: string, permissions: Record<string, string>, counter: ScanCost, signal?: AbortSignal): Promise<OrgSnapshot> {
    const reasons: string[] = [];
    let settings: OrgSettings = { twoFactorRequired: null, basePermission: null, membersCanCreatePublicRepositories: null, membersCanForkPrivateRepositories: null };
    let actions: ActionsDefaults | null = null;
    let owners: string[] | null = null;
    if (!readable(permissions.organization_administration)) reasons.push('organization settings and Actions defaults: the installation lacks organization_administration:read');
    else {
      try {
        const org = await this.one<OrganizationFull>(installationId, 'GET /orgs/{org}', { org: login }, `org:${login}`, counter, signal);
        const base = org.default_repository_permission as BasePermission | null | undefined;
        settings = {
          twoFactorRequired: typeof org.two_factor_requirement_enabled === 'boolean' ? org.two_factor_requirement_enabled : null,
          basePermission: base && BASE_PERMISSIONS.includes(base) ? base : null,
          membersCanCreatePublicRepositories: typeof org.members_can_create_public_repositories === 'boolean' ? org.members_can_create_public_repositories : null,
          membersCanForkPrivateRepositories: typeof org.members_can_fork_private_repositories === 'boolean' ? org.members_can_fork_private_repositories : null,
        };
        // GitHub leaves these out, rather than refusing, to whoever may not see them.
        if (settings.twoFactorRequired === null || settings.basePermission === null) reasons.push('organization settings: GitHub did not report them to the installation');
      } catch (err) {
        if (!(err instanceof NotVisible)) throw err;
        reasons.push(`organization settings: ${err.message}`);
      }
      try {
        const general = await this.one<{ enabled_repositories: string; allowed_actions?: string }>(installationId, 'GET /orgs/{org}/actions/permissions', { org: login }, `actions:${login}`, counter, signal);
        const workflow = await this.one<{ default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean }>(installationId, 'GET /orgs/{org}/actions/permissions/workflow', { org: login }, `actions-workflow:${login}`, counter, signal);
        actions = {
          enabledRepositories: general.enabled_repositories,
          allowedActions: general.allowed_actions ?? null,
          defaultWorkflowPermissions: workflow.default_workflow_permissions,
          canApprovePullRequestReviews: workflow.can_approve_pull_request_reviews,
        };
      } catch (err) {
        if (!(err instanceof NotVisible)) throw err;
        reasons.push(`Actions defaults: ${err.message}`);
      }
    }
    if (!readable(permissions.members)) reasons.push('owners: the installation lacks members:read');
    else {
      try {
        owners = (await this.list<{ login: string }, string>(installationId, 'GET /orgs/{org}/members', { org: login, role: 'admin' }, `owners:${login}`, (m) => m.login, counter, signal)).sort();
      } catch (err) {
        if (!(err instanceof NotVisible)) throw err;
        reasons.push(`owners: ${err.message}`);
      }
    }
    return { kind: 'organization', id: -Number(accountId), fullName: login, ...settings, owners, actions, status: reasons.length ? RepoResultStatus.Partial : RepoResultStatus.Ok, reasons };
  }

  /**
   * Repository webhooks (`GET /repos/{owner}/{repo}/hooks`, Webhooks: read), the one read per repository: one
   * conditional request each (an unchanged list answers 304, free of rate limit), for at most `max` repositories per
   * installation and scan (`SCAN_WEBHOOK_REPOS_MAX`); `read` counts those already read in this scan.
   */
  async webhooks(installationId: string, repos: RepoSnapshot[], budget: { read: number; max: number }, counter: ScanCost, signal?: AbortSignal): Promise<RepoSnapshot[]> {
    const out: RepoSnapshot[] = [];
    for (const repo of repos) {
      if (repo.archived) {
        out.push(repo);
        continue;
      }
      if (budget.read >= budget.max) {
        const reasons = [...repo.reasons, `webhooks: not read (at most ${budget.max} repositories' webhooks are read per scan: SCAN_WEBHOOK_REPOS_MAX)`];
        out.push({ ...repo, reasons, status: repo.status === RepoResultStatus.Ok ? RepoResultStatus.Partial : repo.status });
        continue;
      }
      budget.read++;
      const [owner, name] = repo.fullName.split('/');
      const before = counter.restCalls + counter.restNotModified;
      try {
        const hooks = await this.list<Hook, string | null>(installationId, 'GET /repos/{owner}/{repo}/hooks', { owner, repo: name }, `hooks:${repo.id}`, (h) => (h.active ? webhookProblems(h) : null), counter, signal);
        out.push({ ...repo, insecureWebhooks: hooks.filter((h): h is string => !!h).sort() });
      } catch (err) {
        if (!(err instanceof NotVisible)) throw err;
        const reasons = [...repo.reasons, `webhooks: ${err.message}`];
        out.push({ ...repo, reasons, status: repo.status === RepoResultStatus.Ok ? RepoResultStatus.Partial : repo.status });
      } finally {
        counter.restPerRepository += counter.restCalls + counter.restNotModified - before;
      }
    }
    return out;
  }

  /** One conditional GET of a single object (kept with its ETag; a 304 reuses it). */
  private async one<T>(installationId: string, route: string, params: Record<string, unknown>, entry: string, counter: ScanCost, signal?: AbortSignal): Promise<T> {
    const [item] = await this.list<T, T>(installationId, route, params, entry, (x) => x, counter, signal, true);
    return item;
  }

  private async teams(installationId: string, login: string, counter: ScanCost, signal?: AbortSignal): Promise<TeamRepositories[]> {
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
  private async list<T, R>(installationId: string, route: string, params: Record<string, unknown>, entry: string, reduce: (item: T) => R, counter: ScanCost, signal?: AbortSignal, single = false): Promise<R[]> {
    const out: R[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const key = `${entry}:${page}`;
      const kept = await this.cache.getValidated<KeptPage<R>>(installationId, key);
      let current: KeptPage<R>;
      try {
        const res = await this.fetcher.conditionalGet<T[] | T>(installationId, route, single ? params : { ...params, per_page: PER_PAGE, page }, kept?.etag ?? null, notVisible(), signal);
        noteRateLimit(counter, res.rateLimit);
        if (res.notModified) counter.restNotModified++;
        else counter.restCalls++;
        if (res.notModified && kept) current = kept.value;
        else if (res.notModified) throw githubRequestFailed(`304 to an unconditional ${route}`);
        else {
          current = single ? { items: [reduce(res.data as T)], hasNextPage: false } : { items: (res.data as T[]).map(reduce), hasNextPage: res.hasNextPage };
          await this.cache.setValidated(installationId, key, res.etag, current);
        }
      } catch (err) {
        // A refused request still counts against the rate limit.
        if (err instanceof HubError && (err.code === ErrorCode.GithubPermissionMissing || err.code === ErrorCode.GithubNotVisible)) counter.restCalls++;
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
