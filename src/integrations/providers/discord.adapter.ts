import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import { ProviderDeps } from './provider-deps.service';
import { OAuthCredentials, OAuthProviderAdapter, ProviderIdentity, TokenResponse } from './oauth-provider.base';
import type { ConnectMethod, ConnectResult, HealthResult, ProviderContext, ProxyTarget, RepoPage } from './provider-adapter';
import { stringField } from './provider-http.service';
import { credentialsRejected, integrationNotConnected, invalidCredentialsInput, noDiscordWebhook } from '../integrations.errors';

interface DiscordWebhook {
  id: string;
  name?: string;
  channel_id?: string;
  guild_id?: string;
}

/** Discord: an incoming webhook URL (given directly, or from OAuth2's `webhook.incoming` scope); `GET` on it validates. */
@Injectable()
export class DiscordAdapter extends OAuthProviderAdapter {
  readonly provider = IntegrationProvider.Discord;
  readonly displayName = 'Discord';
  override readonly connectMethod: ConnectMethod = 'webhook_url';
  readonly scopes = ['identify', 'webhook.incoming'];
  readonly pkce = false;
  readonly checks = [CHECKS.webhookReachable];
  readonly actions = [ACTIONS.notify];
  readonly configurationSchema = settingsSchema(['channel_id', 'guild_id', 'webhook_name'], ['notify_on']);
  protected readonly defaults = {
    authorizeUrl: 'https://discord.com/oauth2/authorize',
    tokenUrl: 'https://discord.com/api/oauth2/token',
    apiUrl: 'https://discord.com/api/v10',
  };

  constructor(deps: ProviderDeps) {
    super(deps);
  }

  protected providerConfig() {
    return this.deps.config.providers.discord;
  }

  acceptsDirectCredentials(body: Record<string, unknown>): boolean {
    return body.webhook_url !== undefined;
  }

  override async connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult> {
    const webhookUrl = stringField(body, 'webhook_url', true);
    if (!/^https?:\/\//.test(webhookUrl)) throw invalidCredentialsInput('webhook_url', 'webhook_url must be an http(s) URL');
    const hook = await this.fetchWebhook(webhookUrl);
    if (!hook) throw credentialsRejected('Discord', 'HTTP 404');
    const { integration, created } = await this.deps.integrations.upsert({
      organizationId: ctx.principal.organizationId,
      projectId: ctx.projectId,
      provider: this.provider,
      externalAccountId: hook.id,
      displayName: hook.name ?? `webhook ${hook.id}`,
      configuration: configurationOf(hook),
      credentials: { webhook_url: webhookUrl },
      createdBy: ctx.principal.userId,
    });
    return { kind: 'connected', integration, created };
  }

  protected async identify(tokens: TokenResponse): Promise<ProviderIdentity> {
    const url = (tokens.webhook as { url?: string } | undefined)?.url;
    const hook = url ? await this.fetchWebhook(url) : null;
    if (!url || !hook) throw noDiscordWebhook();
    return { externalAccountId: hook.id, displayName: hook.name ?? `webhook ${hook.id}`, configuration: configurationOf(hook), extra: { webhook_url: url } };
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const hook = await this.fetchWebhook(this.webhookUrl(integration));
    return { healthy: !!hook, details: hook ? { webhookId: hook.id, channelId: hook.channel_id } : { error: 'The webhook no longer exists' } };
  }

  async listRepos(integration: IntegrationEntity): Promise<RepoPage> {
    const config = JSON.parse(integration.configuration) as { channel_id?: string; guild_id?: string };
    const channel = config.channel_id ?? integration.externalAccountId;
    return { repos: [{ id: channel, name: `${config.guild_id ?? 'discord'}/${integration.displayName}`, private: true }], total: 1 };
  }

  /** The credential is the webhook URL itself (its token is a path segment): proxied calls go beneath it, e.g. `/messages/{id}`. */
  override async proxyTarget(integration: IntegrationEntity): Promise<ProxyTarget> {
    return { baseUrl: this.webhookUrl(integration), credentialHeaders: {} };
  }

  private webhookUrl(integration: IntegrationEntity): string {
    const creds = this.deps.integrations.readCredentials<Partial<OAuthCredentials> & { webhook_url?: string }>(integration);
    const url = creds?.webhook_url ?? (creds?.extra?.webhook_url as string | undefined);
    if (!url) throw integrationNotConnected('Discord integration has no webhook');
    return url;
  }

  private async fetchWebhook(url: string): Promise<DiscordWebhook | null> {
    const res = await this.deps.http.call<DiscordWebhook>('Discord', url);
    return res.status === 200 && typeof res.body?.id === 'string' ? res.body : null;
  }
}

function configurationOf(hook: DiscordWebhook): Record<string, string> {
  return { channel_id: hook.channel_id ?? '', guild_id: hook.guild_id ?? '', webhook_name: hook.name ?? '' };
}
