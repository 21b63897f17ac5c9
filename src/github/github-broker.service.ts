import { Inject, Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { AccessTokenDto, CreateAccessTokenDto, IdentityDto, InstallationDto, InstallationRepositoriesDto } from './dto/broker.dto';
import { installationSuspended, userLinkNotFound } from './github.errors';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { GithubRepositoriesService } from './github-repositories.service';
import { GithubUserLinksService } from './github-user-links.service';
import { InstallationTokensService } from './installation-tokens.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WithLink<T> {
  body: T;
  /** RFC 8288 Link header value, or null when everything fits on one page. */
  link: string | null;
}

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

/** GitHub's Integrations API over the organization's installations, for internal services holding a hub key. */
@Injectable()
export class GithubBrokerService {
  constructor(
    private readonly installations: GithubInstallationsService,
    private readonly tokens: InstallationTokensService,
    private readonly links: GithubUserLinksService,
    private readonly repositories: GithubRepositoriesService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async listInstallations(principal: OrgPrincipal, page = 1, perPage = 30): Promise<WithLink<InstallationDto[]>> {
    const [rows, total] = await this.installations.listInOrganization(principal.organizationId, page, perPage);
    return { body: rows.map((r) => this.toInstallation(r)), link: pageLinks(`${this.config.siteUrl}/api/integration/installations`, page, perPage, total) };
  }

  async createAccessToken(principal: OrgPrincipal, installationId: string, dto: CreateAccessTokenDto): Promise<AccessTokenDto> {
    const installation = await this.installations.findInOrganization(principal.organizationId, installationId);
    if (installation.suspendedAt) throw installationSuspended();
    let onBehalfOf = null;
    if (dto.user_id !== undefined) {
      if (!UUID.test(dto.user_id)) throw userLinkNotFound();
      onBehalfOf = this.links.toGithubUser(await this.links.require(principal.organizationId, dto.user_id));
    }
    const token = await this.tokens.token(installation.installationId, { repositories: dto.repositories, repository_ids: dto.repository_ids, permissions: dto.permissions });
    return { token: token.token, expires_at: token.expires_at, on_behalf_of: onBehalfOf, permissions: token.permissions, repository_selection: token.repository_selection, ...(token.repositories ? { repositories: token.repositories } : {}) };
  }

  async identity(principal: OrgPrincipal): Promise<IdentityDto> {
    const link = await this.links.require(principal.organizationId, principal.userId);
    return { user: this.links.toGithubUser(link), repositories_url: `${this.config.siteUrl}/api/integration/installations?user_id=${link.githubUserId}` };
  }

  async repositoriesOf(principal: OrgPrincipal, installationId: string, page = 1, perPage = 30): Promise<WithLink<InstallationRepositoriesDto>> {
    const installation = await this.installations.findInOrganization(principal.organizationId, installationId);
    const all = await this.repositories.list(installation.installationId);
    const body = { total_count: all.length, repository_selection: installation.repositorySelection, repositories: all.slice((page - 1) * perPage, page * perPage) };
    return { body, link: pageLinks(`${this.config.siteUrl}/api/installations/${installationId}/repositories`, page, perPage, all.length) };
  }

  private toInstallation(row: GithubInstallationEntity): InstallationDto {
    const { apiUrl, webUrl } = this.config.github;
    const site = this.config.siteUrl;
    return {
      id: Number(row.installationId),
      account: {
        login: row.accountLogin,
        id: Number(row.accountId),
        type: row.accountType,
        url: `${apiUrl}/${row.accountType === 'User' ? 'users' : 'orgs'}/${row.accountLogin}`,
        repos_url: `${apiUrl}/${row.accountType === 'User' ? 'users' : 'orgs'}/${row.accountLogin}/repos`,
        html_url: `${webUrl}/${row.accountLogin}`,
        avatar_url: `${webUrl}/${row.accountLogin}.png`,
      },
      repository_selection: row.repositorySelection,
      access_tokens_url: `${site}/api/installations/${row.installationId}/access_tokens`,
      repositories_url: `${site}/api/installations/${row.installationId}/repositories`,
      suspended_at: row.suspendedAt ? row.suspendedAt.toISOString() : null,
      created_at: row.createdAt.toISOString(),
    };
  }
}
