import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { HubError } from '../common/hub-error';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubUserDto } from './dto/github-user.dto';
import { GithubClient } from './github-client.service';
import { GithubUserLinkEntity } from './github-user-link.entity';
import { userLinkNotFound } from './github.errors';

export interface GithubIdentity {
  id: number;
  login: string;
}

const sealContext = (rowId: string) => ({ table: 'github_user_links', rowId, field: 'user_token' });

/** Hub users' personal GitHub accounts, per organization. */
@Injectable()
export class GithubUserLinksService {
  constructor(
    @InjectRepository(GithubUserLinkEntity) private readonly links: Repository<GithubUserLinkEntity>,
    private readonly github: GithubClient,
    private readonly keyRing: KeyRing,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async record(organizationId: string, userId: string, identity: GithubIdentity, userToken: { token: string; expiresAt: Date | null }): Promise<GithubUserLinkEntity> {
    const row = (await this.links.findOneBy({ organizationId, userId })) ?? this.links.create({ id: randomUUID(), organizationId, userId });
    row.githubUserId = String(identity.id);
    row.githubLogin = identity.login;
    row.sealedUserToken = this.keyRing.seal(userToken.token, sealContext(row.id));
    row.userTokenExpiresAt = userToken.expiresAt;
    return this.links.save(row);
  }

  find(organizationId: string, userId: string): Promise<GithubUserLinkEntity | null> {
    return this.links.findOneBy({ organizationId, userId });
  }

  /** The organization's member who linked this GitHub user (GitHub's numeric id), if any. */
  findByGithubUser(organizationId: string, githubUserId: string): Promise<GithubUserLinkEntity | null> {
    return this.links.findOne({ where: { organizationId, githubUserId }, order: { createdAt: 'ASC' } });
  }

  /** 404 when the user has linked no GitHub account in the organization. */
  async require(organizationId: string, userId: string): Promise<GithubUserLinkEntity> {
    const link = await this.find(organizationId, userId);
    if (!link) throw userLinkNotFound();
    return link;
  }

  /** Installation ids the linked user can see on GitHub now (empty when their token no longer works). */
  async visibleInstallationIds(link: GithubUserLinkEntity): Promise<Set<string>> {
    if (!link.sealedUserToken || (link.userTokenExpiresAt && link.userTokenExpiresAt.getTime() <= Date.now())) return new Set();
    const token = this.keyRing.open(link.sealedUserToken, sealContext(link.id));
    try {
      const installations = await this.github.paginateWithToken<{ id: number }>(token, 'GET /user/installations');
      return new Set(installations.map((i) => String(i.id)));
    } catch (err) {
      if (err instanceof HubError && err.status === 502) return new Set();
      throw err;
    }
  }

  /** `github_app_authorization` revoked: the user's token is dead, their links go. */
  async dropGithubUser(githubUserId: string): Promise<number> {
    const res = await this.links.delete({ githubUserId });
    return res.affected ?? 0;
  }

  /** GitHub's user object for a link, pointing at GitHub (web and API URLs from configuration). */
  toGithubUser(link: GithubUserLinkEntity): GithubUserDto {
    const { apiUrl, webUrl } = this.config.github;
    const u = `${apiUrl}/users/${link.githubLogin}`;
    return {
      login: link.githubLogin,
      id: Number(link.githubUserId),
      avatar_url: `${webUrl}/${link.githubLogin}.png`,
      gravatar_id: '',
      url: u,
      html_url: `${webUrl}/${link.githubLogin}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type: 'User',
      site_admin: false,
    };
  }
}
