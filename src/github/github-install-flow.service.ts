import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { IntegrationProvider } from '../integrations/integration.enums';
import { OAuthStateService } from '../integrations/oauth-state.service';
import type { CallbackRequest, CallbackResult } from '../integrations/providers/provider-adapter';
import { GithubClient } from './github-client.service';
import { GithubInstallationInfo, GithubInstallationsService } from './github-installations.service';
import { GithubIdentity, GithubUserLinksService } from './github-user-links.service';
import { isInt64Id } from '../common/int64-id';
import { githubCodeInvalid, githubOauthNotConfigured, installationAccessDenied, installationIdRequired } from './github.errors';

export interface OAuthBootstrap {
  userId: string;
  organizationId: string;
  projectId: string | null;
  next: string | null;
  installationId: string;
}

/**
 * GitHub's install flow back on the hub: the user's OAuth code proves they can see the installation before it is
 * linked; without a code (app already installed) the user is sent through GitHub's user OAuth first.
 */
@Injectable()
export class GithubInstallFlowService {
  constructor(
    private readonly github: GithubClient,
    private readonly installations: GithubInstallationsService,
    private readonly links: GithubUserLinksService,
    private readonly states: OAuthStateService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  get redirectUri(): string {
    return `${this.config.siteUrl}/api/integrations/${IntegrationProvider.Github}/callback`;
  }

  installUrl(state: string): string {
    const { webUrl, appSlug } = this.config.github;
    return `${webUrl}/apps/${encodeURIComponent(appSlug ?? '')}/installations/new?state=${encodeURIComponent(state)}`;
  }

  /** A GitHub user OAuth URL with a fresh single-use state remembering the installation. */
  async oauthUrl(b: OAuthBootstrap): Promise<string> {
    if (!this.github.oauthConfigured) throw githubOauthNotConfigured();
    const issued = await this.states.issue({
      kind: IntegrationProvider.Github,
      userId: b.userId,
      organizationId: b.organizationId,
      projectId: b.projectId,
      next: b.next,
      data: { installation_id: b.installationId },
    });
    const url = new URL(`${this.config.github.webUrl}/login/oauth/authorize`);
    url.searchParams.set('client_id', this.config.github.clientId ?? '');
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', issued.state);
    return url.toString();
  }

  async complete(req: CallbackRequest): Promise<CallbackResult> {
    const { query, state } = req;
    const installationId = query.installation_id ?? (typeof state.data.installation_id === 'string' ? state.data.installation_id : undefined);
    if (!installationId || !isInt64Id(installationId)) throw installationIdRequired();
    if (!query.code) {
      const url = await this.oauthUrl({ userId: state.userId, organizationId: state.organizationId, projectId: state.projectId, next: state.next, installationId });
      return { kind: 'redirect', url };
    }
    const userToken = await this.github.exchangeCode(query.code, this.redirectUri);
    if (!userToken) throw githubCodeInvalid();
    const visible = await this.github.paginateWithToken<GithubInstallationInfo>(userToken.token, 'GET /user/installations');
    const installation = visible.find((i) => String(i.id) === installationId);
    if (!installation) throw installationAccessDenied();
    const me = (await this.github.withToken<GithubIdentity>(userToken.token, 'GET /user')).data;
    const { integration } = await this.installations.link({ organizationId: state.organizationId, projectId: state.projectId, actorUserId: state.userId }, installation);
    await this.links.record(state.organizationId, state.userId, { id: me.id, login: me.login }, userToken);
    return { kind: 'connected', integration };
  }
}
