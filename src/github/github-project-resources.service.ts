import { Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationProvider } from '../integrations/integration.enums';
import { assertRelativeNext } from '../integrations/integration-flows.service';
import { integrationNotFound } from '../integrations/integrations.errors';
import { OAuthStateService } from '../integrations/oauth-state.service';
import { ProjectIntegrationsService } from '../integrations/project-integrations.service';
import {
  GithubBranchesDto,
  GithubBranchesQueryDto,
  GithubPickerQueryDto,
  GithubPrepareCallbackDto,
  GithubRepoDto,
  GithubReposDto,
  GithubReposRefreshDto,
  GithubTeamsDto,
} from './dto/project-github-resources.dto';
import { GithubClient } from './github-client.service';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { CachedRepository, GithubRepositoriesService } from './github-repositories.service';
import { githubOnlyEndpoint, invalidInstallationIdText, repoFormatInvalid, repositoryRefreshFailed, teamsFetchFailed } from './github.errors';
import { InstallationTokensService } from './installation-tokens.service';
import { isGithubInstallationId } from './installation-id';

/** Upstream's GITHUB_REPOSITORY_REFRESH_COOLDOWN_SECONDS (posthog/models/integration/github.py). */
const REFRESH_COOLDOWN_S = 30;

/** Upstream's GITHUB_REPOSITORY_NAME_RE, applied to each half of `owner/repo` (posthog/api/integration.py). */
const REPO_PART = /^[A-Za-z0-9_.-]+$/;

/** GitHub says the installation is gone or suspended: PostHog reports that as a state, not a failure. */
const UNAVAILABLE_CODES = new Set<ErrorCode>([ErrorCode.GithubInstallationSuspended, ErrorCode.GithubInstallationDeleted, ErrorCode.GithubInstallationNotFound]);

interface GithubTeam {
  id: number;
  slug: string;
  name: string;
}

/**
 * PostHog's GitHub pickers on a project integration (`github_repos`, `github_repos/refresh`, `github_branches`,
 * `github_teams`) and `github/prepare_callback`, backed by the hub's broker: installation tokens from its cache,
 * repositories from its shared repository cache.
 */
@Injectable()
export class GithubProjectResourcesService {
  constructor(
    private readonly projectIntegrations: ProjectIntegrationsService,
    private readonly installations: GithubInstallationsService,
    private readonly repositories: GithubRepositoriesService,
    private readonly tokens: InstallationTokensService,
    private readonly github: GithubClient,
    private readonly states: OAuthStateService,
  ) {}

  /** `GET .../{id}/github_repos`: a page of the cached list, filtered by full name (casefolded, as upstream). */
  async repos(principal: OrgPrincipal, id: string, query: GithubPickerQueryDto): Promise<GithubReposDto> {
    const row = await this.githubRow(principal, id, 'github_repos');
    const installation = await this.installation(principal, row).catch(() => null);
    const search = query.search.toLowerCase();
    const all = (await this.repositories.list(row.externalAccountId)).filter((r) => !search || r.full_name.toLowerCase().includes(search));
    return {
      repositories: all.slice(query.offset, query.offset + query.limit).map((r) => toRepo(r, installation)),
      has_more: query.offset + query.limit < all.length,
      total: all.length,
    };
  }

  /** `POST .../{id}/github_repos/refresh`: re-reads the list from GitHub; a gone installation answers its last list. */
  async refresh(principal: OrgPrincipal, id: string): Promise<GithubReposRefreshDto> {
    const row = await this.githubRow(principal, id, 'refresh_github_repos');
    // Uninstalled (the webhook marked it deleted) or suspended: the last list, as upstream answers then.
    const installation = await this.installation(principal, row).catch(() => null);
    if (!installation || installation.suspendedAt) return this.unavailable(row, installation);
    try {
      const repos = await this.repositories.refreshAtMostEvery(row.externalAccountId, REFRESH_COOLDOWN_S);
      return { repositories: repos.map((r) => toRepo(r, installation)), installation_status: 'connected' };
    } catch (err) {
      if (err instanceof HubError && err.code === ErrorCode.ProviderRateLimited) throw err;
      if (err instanceof HubError && UNAVAILABLE_CODES.has(err.code)) return this.unavailable(row, installation);
      throw repositoryRefreshFailed();
    }
  }

  /** `GET .../{id}/github_branches?repo=owner/name`: the default branch first, then GitHub's (name) order. */
  async branches(principal: OrgPrincipal, id: string, query: GithubBranchesQueryDto): Promise<GithubBranchesDto> {
    const parts = query.repo.split('/');
    if (parts.length !== 2 || !parts.every((p) => REPO_PART.test(p) && p !== '.' && p !== '..')) throw repoFormatInvalid();
    const row = await this.githubRow(principal, id, 'github_branches');
    const installationId = row.externalAccountId;
    const { token } = await this.tokens.token(installationId, {});
    const [owner, repo] = parts;
    const names = (await this.github.paginateWithToken<{ name: string }>(token, 'GET /repos/{owner}/{repo}/branches', { owner, repo }, { notFound: integrationNotFound() })).map((b) => b.name);
    const known = (await this.repositories.list(installationId)).find((r) => r.full_name.toLowerCase() === query.repo.toLowerCase());
    const defaultBranch = known?.default_branch && names.includes(known.default_branch) ? known.default_branch : null;
    const ordered = defaultBranch ? [defaultBranch, ...names.filter((n) => n !== defaultBranch)] : names;
    const search = query.search.toLowerCase();
    const filtered = search ? ordered.filter((n) => n.toLowerCase().includes(search)) : ordered;
    return { branches: filtered.slice(query.offset, query.offset + query.limit), default_branch: defaultBranch, has_more: query.offset + query.limit < filtered.length };
  }

  /** `GET .../{id}/github_teams`: the installation organization's teams, filtered by name or slug. */
  async teams(principal: OrgPrincipal, id: string, query: GithubPickerQueryDto): Promise<GithubTeamsDto> {
    const row = await this.githubRow(principal, id, 'github_teams');
    const installation = await this.installation(principal, row);
    let teams: GithubTeam[];
    try {
      const { token } = await this.tokens.token(row.externalAccountId, {});
      teams = await this.github.paginateWithToken<GithubTeam>(token, 'GET /orgs/{org}/teams', { org: installation.accountLogin });
    } catch (err) {
      if (err instanceof HubError && err.code === ErrorCode.ProviderRateLimited) throw err;
      throw teamsFetchFailed();
    }
    const search = query.search.toLowerCase();
    const filtered = teams.filter((t) => !search || t.name.toLowerCase().includes(search) || t.slug.toLowerCase().includes(search));
    return {
      teams: filtered.slice(query.offset, query.offset + query.limit).map((t) => ({ id: t.id, slug: t.slug, name: t.name })),
      has_more: query.offset + query.limit < filtered.length,
    };
  }

  /**
   * `POST .../github/prepare_callback` (204): issues the single-use state an installation update on github.com
   * comes back with, bound to the user, the project and (when given) the installation.
   */
  async prepareCallback(principal: OrgPrincipal, dto: GithubPrepareCallbackDto): Promise<void> {
    const next = assertRelativeNext(dto.next);
    const installationId = dto.installation_id || null;
    if (installationId !== null && !isGithubInstallationId(installationId)) throw invalidInstallationIdText();
    await this.states.issue({
      kind: IntegrationProvider.Github,
      userId: principal.userId,
      organizationId: principal.organizationId,
      projectId: principal.projectId ?? null,
      next,
      data: { flow: 'team_update', ...(installationId ? { installation_id: installationId } : {}) },
    });
  }

  /** The project's integration; upstream's 400 when it is not a GitHub one. */
  private async githubRow(principal: OrgPrincipal, id: string, endpoint: string): Promise<IntegrationEntity> {
    const row = await this.projectIntegrations.find(principal, id);
    if (row.provider !== IntegrationProvider.Github) throw githubOnlyEndpoint(endpoint);
    return row;
  }

  private installation(principal: OrgPrincipal, row: IntegrationEntity): Promise<GithubInstallationEntity> {
    return this.installations.findInOrganization(principal.organizationId, row.externalAccountId);
  }

  private async unavailable(row: IntegrationEntity, installation: GithubInstallationEntity | null): Promise<GithubReposRefreshDto> {
    const cached = (await this.repositories.cached(row.externalAccountId)) ?? [];
    return { repositories: cached.map((r) => toRepo(r, installation)), installation_status: 'unavailable' };
  }
}

function toRepo(r: CachedRepository, installation: GithubInstallationEntity | null): GithubRepoDto {
  const contents = installation?.permissions?.contents;
  return {
    id: r.id,
    name: r.name,
    full_name: r.full_name,
    private: r.private,
    ...(r.default_branch !== undefined ? { default_branch: r.default_branch } : {}),
    ...(r.language !== undefined ? { language: r.language } : {}),
    ...(r.pushed_at !== undefined ? { pushed_at: r.pushed_at } : {}),
    ...(r.archived !== undefined ? { archived: r.archived } : {}),
    can_push: !r.archived && (contents === 'write' || contents === 'admin'),
  };
}
