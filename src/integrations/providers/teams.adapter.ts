import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import { ProviderDeps } from './provider-deps.service';
import { OAuthProviderAdapter, ProviderIdentity, TokenResponse } from './oauth-provider.base';
import type { HealthResult, RepoPage, RepoQuery } from './provider-adapter';
import { paginate } from './provider-http.service';
import { credentialsRejected, providerCallFailed } from '../integrations.errors';

interface GraphUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

/** Microsoft Teams through the Microsoft identity platform (OAuth 2.0 with PKCE) and Graph; joined teams are the "repos". */
@Injectable()
export class TeamsAdapter extends OAuthProviderAdapter {
  readonly provider = IntegrationProvider.Teams;
  readonly displayName = 'Microsoft Teams';
  readonly scopes = ['offline_access', 'User.Read', 'Team.ReadBasic.All', 'ChannelMessage.Send'];
  readonly pkce = true;
  readonly checks = [CHECKS.channelReachable];
  readonly actions = [ACTIONS.notify];
  readonly configurationSchema = settingsSchema(['user_principal_name', 'default_team_id', 'default_channel_id'], ['notify_on']);
  protected readonly defaults = {
    authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    apiUrl: 'https://graph.microsoft.com/v1.0',
  };

  constructor(deps: ProviderDeps) {
    super(deps);
  }

  protected providerConfig() {
    return this.deps.config.providers.teams;
  }

  protected async identify(tokens: TokenResponse): Promise<ProviderIdentity> {
    const me = await this.me(tokens.access_token);
    if (!me) throw credentialsRejected('Microsoft Graph', 'HTTP 401');
    return { externalAccountId: me.id, displayName: me.displayName ?? me.id, configuration: { user_principal_name: me.userPrincipalName ?? '' } };
  }

  /** Teams has no side-effect-free message call: a dry run is reading the signed-in user. */
  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const me = await this.me(await this.accessToken(integration));
    return { healthy: !!me, details: me ? { user: me.userPrincipalName ?? me.id, dryRun: true } : { error: 'Microsoft Graph rejected the token' } };
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const res = await this.deps.http.call<{ value?: Array<{ id: string; displayName: string; visibility?: string }> }>('Microsoft Graph', `${this.oauth.apiUrl}/me/joinedTeams`, {
      headers: { authorization: `Bearer ${await this.accessToken(integration)}` },
    });
    if (res.status !== 200 || !Array.isArray(res.body?.value)) throw providerCallFailed('Microsoft Graph', 'joinedTeams', `HTTP ${res.status}`);
    const teams = res.body.value.map((t) => ({ id: t.id, name: `teams/${t.displayName}`, private: t.visibility !== 'public' }));
    return paginate(teams, query.page, query.perPage, query.search);
  }

  private async me(token: string): Promise<GraphUser | null> {
    const res = await this.deps.http.call<GraphUser>('Microsoft Graph', `${this.oauth.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 && typeof res.body?.id === 'string' ? res.body : null;
  }
}
