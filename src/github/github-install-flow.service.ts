import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { IntegrationProvider } from '../integrations/integration.enums';
import { OAuthStateService } from '../integrations/oauth-state.service';
import type { CallbackRequest, CallbackResult, ConnectResult, ProviderContext } from '../integrations/providers/provider-adapter';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';
import { GithubClient } from './github-client.service';
import { GithubInstallationInfo, GithubInstallationsService } from './github-installations.service';
import { GithubIdentity, GithubUserLinksService } from './github-user-links.service';
import {
  githubCodeInvalid,
  githubOauthNotConfigured,
  installationAccessDenied,
  installationIdRequired,
  invalidInstallationIdText,
  setupCodeExchangeFailed,
  setupCodeMissing,
  setupInstallationIdMissing,
  setupInstallationNotVisible,
  setupInstallationVerifyFailed,
  setupStateInvalid,
  setupStateMissing,
} from './github.errors';
import { isGithubInstallationId } from './installation-id';

export interface OAuthBootstrap {
  userId: string;
  organizationId: string;
  projectId: string | null;
  next: string | null;
  installationId: string;
  /** PostHog's originating surface (`posthog_code`), kept with the state. */
  connectFrom?: string | null;
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
      data: { installation_id: b.installationId, ...(b.connectFrom ? { connect_from: b.connectFrom } : {}) },
    });
    const url = new URL(`${this.config.github.webUrl}/login/oauth/authorize`);
    url.searchParams.set('client_id', this.config.github.clientId ?? '');
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', issued.state);
    return url.toString();
  }

  /**
   * PostHog's `POST .../integrations/ {kind: "github", config: {installation_id, state, code}}`, checked in
   * upstream's order (posthog/api/github_callback/team_services.py create_team_github_integration_from_oauth_code):
   * the three are required, the state must be this user's for this project, the code must exchange, the installation
   * id must be one, and the user's GitHub account must see it.
   */
  async completeSetup(ctx: ProviderContext, config: Record<string, unknown>): Promise<ConnectResult> {
    const { installation_id: rawInstallationId, state, code } = config ?? {};
    if (!rawInstallationId) throw setupInstallationIdMissing();
    if (!state) throw setupStateMissing();
    if (!code) throw setupCodeMissing();
    const { principal, projectId } = ctx;
    const record = typeof state === 'string' && state.length <= 512 ? await this.states.consume(state, IntegrationProvider.Github) : null;
    if (!record || record.userId !== principal.userId || record.organizationId !== principal.organizationId || record.projectId !== projectId) throw setupStateInvalid();
    const userToken = this.github.oauthConfigured && typeof code === 'string' ? await this.github.exchangeCode(code, this.redirectUri).catch(() => null) : null;
    if (!userToken) throw setupCodeExchangeFailed();
    const installationId = typeof rawInstallationId === 'number' ? String(rawInstallationId) : rawInstallationId;
    if (!isGithubInstallationId(installationId)) throw invalidInstallationIdText();
    let visible: GithubInstallationInfo[];
    let me: GithubIdentity;
    try {
      visible = await this.github.paginateWithToken<GithubInstallationInfo>(userToken.token, 'GET /user/installations');
      me = (await this.github.withToken<GithubIdentity>(userToken.token, 'GET /user')).data;
    } catch (err) {
      if (err instanceof HubError && err.code === ErrorCode.ProviderRateLimited) throw err;
      throw setupInstallationVerifyFailed();
    }
    const installation = visible.find((i) => String(i.id) === installationId);
    if (!installation) throw setupInstallationNotVisible();
    const linked = await this.installations.link({ organizationId: principal.organizationId, projectId, actorUserId: principal.userId }, installation);
    await this.links.record(principal.organizationId, principal.userId, { id: me.id, login: me.login }, userToken);
    return { kind: 'connected', ...linked };
  }

  async complete(req: CallbackRequest): Promise<CallbackResult> {
    const { query, state } = req;
    const installationId = query.installation_id ?? (typeof state.data.installation_id === 'string' ? state.data.installation_id : undefined);
    if (!isGithubInstallationId(installationId)) throw installationIdRequired();
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
