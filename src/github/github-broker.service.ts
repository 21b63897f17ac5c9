import { isInt64Id } from '../common/int64-id';
import { Inject, Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { AccessTokenDto, CreateAccessTokenDto, GithubAccountDto, GithubInstallationRepositoriesDto, IdentityDto, InstallationDto, InstallationRepositoriesDto } from './dto/broker.dto';
import { GithubClient } from './github-client.service';
import { installationSuspended, installationTokenUnknown, noMatchingInstallation, userLinkNotFound } from './github.errors';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { GithubRepositoriesService } from './github-repositories.service';
import { GithubUserLinkEntity } from './github-user-link.entity';
import { GithubUserLinksService } from './github-user-links.service';
import { InstallationTokensService } from './installation-tokens.service';
import { isUuid } from '../common/params';
import { jsonPayload, preserialized } from '../common/preserialized';
import type { InstallationToken } from './installation-token.cache';


export interface WithLink<T> {
  body: T;
  /** RFC 8288 Link header value, or null when everything fits on one page. */
  link: string | null;
}

/**
 * Which of the broker's GitHub faces an installation is rendered for: the seed's 2016 preview routes hand out their
 * own token route, the App routes GitHub's current one. Both work with a hub key.
 */
export type BrokerFace = 'preview' | 'app';

/** Where the caller looks an installation up, as GitHub's `GET /orgs|repos|users/.../installation` routes do. */
export type InstallationTarget = { org: string } | { user: string } | { owner: string; repo: string };

/** RFC 8288 links for page-numbered lists. */
export function pageLinks(base: string, page: number, perPage: number, total: number): string | null {
  const last = Math.max(1, Math.ceil(total / perPage));
  const at = (p: number, rel: string) => `<${base}?page=${p}&per_page=${perPage}>; rel="${rel}"`;
  const links: string[] = [];
  if (page < last) links.push(at(page + 1, 'next'));
  if (page > 1) links.push(at(Math.min(page - 1, last), 'prev'));
  if (last > 1) links.push(at(1, 'first'), at(last, 'last'));
  return links.length ? links.join(', ') : null;
}


/** GitHub's Integrations and Apps API over the organization's installations, for internal services holding a hub key. */
@Injectable()
export class GithubBrokerService {
  constructor(
    private readonly installations: GithubInstallationsService,
    private readonly tokens: InstallationTokensService,
    private readonly links: GithubUserLinksService,
    private readonly repositories: GithubRepositoriesService,
    private readonly github: GithubClient,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async listInstallations(principal: OrgPrincipal, page: number, perPage: number, face: BrokerFace): Promise<WithLink<InstallationDto[]>> {
    const [rows, total] = await this.installations.listInOrganization(principal.organizationId, page, perPage);
    const path = face === 'app' ? '/api/app/installations' : '/api/integration/installations';
    return { body: rows.map((r) => this.toInstallation(r, face)), link: pageLinks(`${this.config.siteUrl}${path}`, page, perPage, total) };
  }

  async getInstallation(principal: OrgPrincipal, installationId: string): Promise<InstallationDto> {
    return this.toInstallation(await this.installations.findInOrganization(principal.organizationId, installationId), 'app');
  }

  /** The organization's installation on a GitHub organization, user or repository; 404 when the hub knows none. */
  async findInstallation(principal: OrgPrincipal, target: InstallationTarget): Promise<InstallationDto> {
    if ('org' in target || 'user' in target) {
      const [row] = 'org' in target ? await this.installations.findByAccount(principal.organizationId, target.org, 'Organization') : await this.installations.findByAccount(principal.organizationId, target.user, 'User');
      if (!row) throw noMatchingInstallation();
      return this.toInstallation(row, 'app');
    }
    const fullName = `${target.owner}/${target.repo}`.toLowerCase();
    for (const row of await this.installations.findByAccount(principal.organizationId, target.owner)) {
      const reachable = await this.repositories.list(row.installationId);
      if (reachable.some((r) => r.full_name.toLowerCase() === fullName)) return this.toInstallation(row, 'app');
    }
    throw noMatchingInstallation();
  }

  /**
   * The common mint, an installation and a token this process holds on nobody's behalf, answers without a promise
   * (the same checks in the same order: suspended, then the narrowing); anything else takes `mintAccessToken`.
   */
  createAccessToken(principal: OrgPrincipal, installationId: string, dto: CreateAccessTokenDto): AccessTokenDto | Promise<AccessTokenDto> {
    if (dto.user_id === undefined) {
      const installation = this.installations.cachedInOrganization(principal.organizationId, installationId);
      if (installation) {
        if (installation.suspendedAt) throw installationSuspended();
        const token = this.tokens.cachedToken(installation.installationId, { repositories: dto.repositories, repository_ids: dto.repository_ids, permissions: dto.permissions });
        if (token) return accessTokenBody(token, null);
      }
    }
    return this.mintAccessToken(principal, installationId, dto);
  }

  private async mintAccessToken(principal: OrgPrincipal, installationId: string, dto: CreateAccessTokenDto): Promise<AccessTokenDto> {
    const installation = await this.installations.findInOrganization(principal.organizationId, installationId);
    if (installation.suspendedAt) throw installationSuspended();
    const onBehalfOf = dto.user_id === undefined ? null : this.links.toGithubUser(await this.onBehalfOf(principal, dto.user_id));
    const token = await this.tokens.token(installation.installationId, { repositories: dto.repositories, repository_ids: dto.repository_ids, permissions: dto.permissions });
    return accessTokenBody(token, onBehalfOf);
  }

  async identity(principal: OrgPrincipal): Promise<IdentityDto> {
    const link = await this.links.require(principal.organizationId, principal.userId);
    return { user: this.links.toGithubUser(link), repositories_url: `${this.config.siteUrl}/api/installation/repositories?user_id=${link.githubUserId}` };
  }

  async repositoriesOf(principal: OrgPrincipal, installationId: string, page = 1, perPage = 30): Promise<WithLink<InstallationRepositoriesDto>> {
    const installation = await this.installations.findInOrganization(principal.organizationId, installationId);
    const all = await this.repositories.list(installation.installationId);
    const body = { total_count: all.length, repository_selection: installation.repositorySelection, repositories: all.slice((page - 1) * perPage, page * perPage) };
    return { body, link: pageLinks(`${this.config.siteUrl}/api/installations/${installationId}/repositories`, page, perPage, all.length) };
  }

  /**
   * `GET /installation/repositories` with an installation token, answered by GitHub itself: only for tokens this hub
   * minted (by hash), for installations it has not seen suspended or uninstalled. Link headers point back at the hub.
   */
  async installationRepositories(token: string | null, page: number, perPage: number): Promise<WithLink<GithubInstallationRepositoriesDto>> {
    const installationId = token ? await this.tokens.mintedFor(token) : null;
    if (!token || !installationId) throw installationTokenUnknown();
    await this.installations.assertMintable(installationId);
    const res = await this.github.withToken<GithubInstallationRepositoriesDto>(token, 'GET /installation/repositories', { page, per_page: perPage }).catch((err: unknown) => {
      // GitHub refused the token itself (revoked, expired early): the caller's credential is bad, not the hub's.
      throw err instanceof HubError && err.code === ErrorCode.GithubAuthFailed ? installationTokenUnknown() : err;
    });
    const link = typeof res.headers.link === 'string' ? res.headers.link.split(`${this.config.github.apiUrl}/installation/repositories`).join(`${this.config.siteUrl}/api/installation/repositories`) : null;
    return { body: res.data, link };
  }

  /** A GitHub user id (digits) names a linked GitHub user; a uuid names a hub user, as the preview route documents. */
  private async onBehalfOf(principal: OrgPrincipal, userId: string): Promise<GithubUserLinkEntity> {
    if (isUuid(userId)) return this.links.require(principal.organizationId, userId);
    // A GitHub user id is a positive int64 (a larger number, even one JSON rounded, names nobody).
    const link = isInt64Id(userId) && userId !== '0' ? await this.links.findByGithubUser(principal.organizationId, userId) : null;
    if (!link) throw userLinkNotFound();
    return link;
  }

  private toInstallation(row: GithubInstallationEntity, face: BrokerFace): InstallationDto {
    const { webUrl, appId, appSlug, clientId } = this.config.github;
    const site = this.config.siteUrl;
    const id = Number(row.installationId);
    return {
      id,
      ...(clientId ? { client_id: clientId } : {}),
      account: (row.account as unknown as GithubAccountDto | null) ?? this.derivedAccount(row),
      repository_selection: row.repositorySelection,
      access_tokens_url: face === 'app' ? `${site}/api/app/installations/${id}/access_tokens` : `${site}/api/installations/${id}/access_tokens`,
      repositories_url: `${site}/api/installation/repositories`,
      html_url: row.accountType === 'User' ? `${webUrl}/settings/installations/${id}` : `${webUrl}/organizations/${row.accountLogin}/settings/installations/${id}`,
      app_id: Number(appId ?? 0),
      app_slug: appSlug ?? '',
      target_id: Number(row.accountId),
      target_type: row.accountType,
      permissions: row.permissions ?? {},
      events: row.events ?? [],
      created_at: (row.githubCreatedAt ?? row.createdAt).toISOString(),
      updated_at: (row.githubUpdatedAt ?? row.updatedAt).toISOString(),
      single_file_name: row.singleFileName ?? null,
      suspended_by: row.suspendedAt ? ((row.suspendedBy as unknown as GithubAccountDto | null) ?? null) : null,
      suspended_at: row.suspendedAt ? row.suspendedAt.toISOString() : null,
    };
  }

  /** For rows linked before the hub kept GitHub's account object: GitHub's URL scheme for the account. */
  private derivedAccount(row: GithubInstallationEntity): GithubAccountDto {
    const { apiUrl, webUrl } = this.config.github;
    const u = `${apiUrl}/users/${row.accountLogin}`;
    return {
      login: row.accountLogin,
      id: Number(row.accountId),
      node_id: '',
      avatar_url: `${webUrl}/${row.accountLogin}.png`,
      gravatar_id: '',
      url: u,
      html_url: `${webUrl}/${row.accountLogin}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type: row.accountType,
      site_admin: false,
    };
  }
}

/** The JSON of a token's response around `on_behalf_of`, per token object (the in-process cache hands out the same one). */
const TOKEN_JSON = new WeakMap<InstallationToken, readonly [string, string, string | Buffer]>();

/**
 * The mint's response body. A cached token's JSON (its repositories can be GitHub's whole repository objects) is
 * written once per token object and sent as it is (`preserialized`; a narrowed token's, with GitHub's repository
 * objects, as its bytes), not walked again per request.
 */
export function accessTokenBody(token: InstallationToken, onBehalfOf: AccessTokenDto['on_behalf_of']): AccessTokenDto {
  const body: AccessTokenDto = { token: token.token, expires_at: token.expires_at, on_behalf_of: onBehalfOf, permissions: token.permissions, repository_selection: token.repository_selection, ...(token.repositories ? { repositories: token.repositories } : {}) };
  // A field missing from the token (JSON would leave it out) is left to JSON.stringify.
  if (typeof token.token !== 'string' || typeof token.expires_at !== 'string' || typeof token.repository_selection !== 'string' || !token.permissions) return body;
  const [head, tail, onBehalfOfNobody] = tokenJson(token);
  // The common answer (on nobody's behalf) is one string per token, not one per request.
  return preserialized(body, onBehalfOf === null ? onBehalfOfNobody : `${head}${JSON.stringify(onBehalfOf)}${tail}`);
}

function tokenJson(token: InstallationToken): readonly [string, string, string | Buffer] {
  let parts = TOKEN_JSON.get(token);
  if (!parts) {
    const head = `{"token":${JSON.stringify(token.token)},"expires_at":${JSON.stringify(token.expires_at)},"on_behalf_of":`;
    const repositories = token.repositories ? `,"repositories":${JSON.stringify(token.repositories)}` : '';
    const tail = `,"permissions":${JSON.stringify(token.permissions)},"repository_selection":${JSON.stringify(token.repository_selection)}${repositories}}`;
    parts = [head, tail, jsonPayload(`${head}null${tail}`)] as const;
    TOKEN_JSON.set(token, parts);
  }
  return parts;
}
