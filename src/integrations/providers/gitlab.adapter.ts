import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import { ProviderDeps } from './provider-deps.service';
import { OAuthProviderAdapter, ProviderIdentity, TokenResponse } from './oauth-provider.base';
import type { ConnectResult, HealthResult, ProviderContext, RepoPage, RepoQuery } from './provider-adapter';
import { stringField } from './provider-http.service';
import { credentialsRejected, providerCallFailed } from '../integrations.errors';

interface GitlabUser {
  id: number;
  username: string;
  name: string;
  web_url?: string;
}

interface GitlabProject {
  id: number;
  path_with_namespace: string;
  visibility?: string;
}

/** GitLab v4: OAuth with PKCE, or a personal/group access token; `GET /user` validates, projects are the repos. */
@Injectable()
export class GitlabAdapter extends OAuthProviderAdapter {
  readonly provider = IntegrationProvider.Gitlab;
  readonly displayName = 'GitLab';
  readonly scopes = ['read_api', 'read_user'];
  readonly pkce = true;
  readonly checks = [CHECKS.branchProtection, CHECKS.ciStatus, CHECKS.mergeRequestApprovals];
  readonly actions = [ACTIONS.label, ACTIONS.comment, ACTIONS.createIssue];
  readonly configurationSchema = settingsSchema(['username', 'web_url', 'default_project'], ['labels']);
  protected readonly defaults = {
    authorizeUrl: 'https://gitlab.com/oauth/authorize',
    tokenUrl: 'https://gitlab.com/oauth/token',
    apiUrl: 'https://gitlab.com/api/v4',
  };

  constructor(deps: ProviderDeps) {
    super(deps);
  }

  protected providerConfig() {
    return this.deps.config.providers.gitlab;
  }

  acceptsDirectCredentials(body: Record<string, unknown>): boolean {
    return body.token !== undefined;
  }

  override async connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult> {
    const token = stringField(body, 'token', true);
    const user = await this.currentUser(token);
    if (!user) throw credentialsRejected('GitLab', 'HTTP 401');
    const { integration, created } = await this.deps.integrations.upsert({
      organizationId: ctx.principal.organizationId,
      projectId: ctx.projectId,
      provider: this.provider,
      externalAccountId: String(user.id),
      displayName: user.username,
      configuration: { username: user.username, web_url: user.web_url ?? '' },
      credentials: { access_token: token, obtained_at: Date.now() },
      createdBy: ctx.principal.userId,
    });
    return { kind: 'connected', integration, created };
  }

  protected async identify(tokens: TokenResponse): Promise<ProviderIdentity> {
    const user = await this.currentUser(tokens.access_token);
    if (!user) throw credentialsRejected('GitLab', 'HTTP 401');
    return { externalAccountId: String(user.id), displayName: user.username, configuration: { username: user.username, web_url: user.web_url ?? '' } };
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const user = await this.currentUser(await this.accessToken(integration));
    return { healthy: !!user, details: user ? { username: user.username } : { error: 'GitLab rejected the token' } };
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const params = new URLSearchParams({ membership: 'true', simple: 'true', order_by: 'id', sort: 'asc', page: String(query.page), per_page: String(query.perPage) });
    if (query.search) params.set('search', query.search);
    const res = await this.deps.http.call<GitlabProject[]>('GitLab', `${this.oauth.apiUrl}/projects?${params}`, { headers: await this.auth(integration) });
    if (res.status !== 200 || !Array.isArray(res.body)) throw providerCallFailed('GitLab', 'projects', `HTTP ${res.status}`);
    const total = Number(res.headers.get('x-total') ?? res.body.length);
    return { repos: res.body.map((p) => ({ id: String(p.id), name: p.path_with_namespace, private: p.visibility !== 'public' })), total };
  }

  private async auth(integration: IntegrationEntity): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.accessToken(integration)}` };
  }

  private async currentUser(token: string): Promise<GitlabUser | null> {
    const res = await this.deps.http.call<GitlabUser>('GitLab', `${this.oauth.apiUrl}/user`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 && res.body?.id !== undefined ? res.body : null;
  }
}
