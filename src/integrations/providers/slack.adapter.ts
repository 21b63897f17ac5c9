import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import { ProviderDeps } from './provider-deps.service';
import { OAuthProviderAdapter, ProviderIdentity, TokenResponse } from './oauth-provider.base';
import type { HealthResult, RepoPage, RepoQuery } from './provider-adapter';
import { paginate } from './provider-http.service';
import { credentialsRejected, providerCallFailed } from '../integrations.errors';

interface SlackAuthTest {
  ok: boolean;
  error?: string;
  team_id?: string;
  team?: string;
  url?: string;
  user_id?: string;
  bot_id?: string;
}

interface SlackChannel {
  id: string;
  name: string;
  is_private: boolean;
}

const MAX_CHANNEL_PAGES = 10;

/** Slack: OAuth v2 (with token rotation), `auth.test` for validation and health, channels as "repos". */
@Injectable()
export class SlackAdapter extends OAuthProviderAdapter {
  readonly provider = IntegrationProvider.Slack;
  readonly displayName = 'Slack';
  readonly scopes = ['chat:write', 'channels:read', 'groups:read', 'team:read'];
  // Slack's OAuth v2 does not take PKCE parameters for server-side apps.
  readonly pkce = false;
  readonly checks = [CHECKS.channelReachable];
  readonly actions = [ACTIONS.notify];
  readonly configurationSchema = settingsSchema(['team_name', 'team_url', 'default_channel'], ['notify_on']);
  protected readonly defaults = {
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    apiUrl: 'https://slack.com/api',
  };

  constructor(deps: ProviderDeps) {
    super(deps);
  }

  protected providerConfig() {
    return this.deps.config.providers.slack;
  }

  // Slack answers 200 with `ok: false` when it refuses a grant.
  protected override parseTokenResponse(body: Record<string, unknown>): TokenResponse | null {
    return body.ok === true && typeof body.access_token === 'string' ? (body as TokenResponse) : null;
  }

  protected async identify(tokens: TokenResponse): Promise<ProviderIdentity> {
    const who = await this.authTest(tokens.access_token);
    if (!who.ok || !who.team_id) throw credentialsRejected('Slack', who.error ?? 'unknown error');
    return { externalAccountId: who.team_id, displayName: who.team ?? who.team_id, configuration: { team_name: who.team ?? '', team_url: who.url ?? '' } };
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const who = await this.authTest(await this.accessToken(integration));
    return { healthy: who.ok, details: who.ok ? { team: who.team, teamId: who.team_id } : { error: who.error } };
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const token = await this.accessToken(integration);
    const team = integration.displayName;
    const channels: Array<{ id: string; name: string; private: boolean }> = [];
    let cursor = '';
    for (let i = 0; i < MAX_CHANNEL_PAGES; i++) {
      const url = `${this.oauth.apiUrl}/conversations.list?limit=200&exclude_archived=true&types=public_channel,private_channel${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await this.deps.http.call<{ ok: boolean; error?: string; channels?: SlackChannel[]; response_metadata?: { next_cursor?: string } }>('Slack', url, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.body.ok) throw providerCallFailed('Slack', 'conversations.list', String(res.body.error ?? res.status));
      for (const c of res.body.channels ?? []) channels.push({ id: c.id, name: `${team}/${c.name}`, private: c.is_private });
      cursor = res.body.response_metadata?.next_cursor ?? '';
      if (!cursor) break;
    }
    return paginate(channels, query.page, query.perPage, query.search);
  }

  private async authTest(token: string): Promise<SlackAuthTest> {
    const res = await this.deps.http.call<SlackAuthTest>('Slack', `${this.oauth.apiUrl}/auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    return typeof res.body === 'object' && res.body ? res.body : { ok: false, error: `HTTP ${res.status}` };
  }
}
