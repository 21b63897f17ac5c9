import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import { ProviderDeps } from './provider-deps.service';
import { OAuthProviderAdapter, ProviderIdentity, TokenResponse } from './oauth-provider.base';
import type { HealthResult, RepoPage, RepoQuery } from './provider-adapter';
import { noJiraSite, providerCallFailed } from '../integrations.errors';

interface AccessibleResource {
  id: string;
  name: string;
  url: string;
}

interface JiraProjectPage {
  values: Array<{ id: string; key: string; name: string; isPrivate?: boolean }>;
  total: number;
}

/** Jira Cloud: OAuth 2.0 (3LO), the site from accessible-resources, REST v3 through api.atlassian.com/ex/jira/{cloudId}. */
@Injectable()
export class JiraAdapter extends OAuthProviderAdapter {
  readonly provider = IntegrationProvider.Jira;
  readonly displayName = 'Jira';
  readonly scopes = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'];
  // Atlassian's 3LO uses the client secret; it does not document PKCE.
  readonly pkce = false;
  protected override readonly tokenEncoding = 'json' as const;
  readonly checks = [CHECKS.issueTracking];
  readonly actions = [ACTIONS.createIssue, ACTIONS.comment, ACTIONS.label];
  readonly configurationSchema = settingsSchema(['site_url', 'site_name', 'default_project_key', 'issue_type']);
  protected readonly defaults = {
    authorizeUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
    apiUrl: 'https://api.atlassian.com',
  };

  constructor(deps: ProviderDeps) {
    super(deps);
  }

  protected providerConfig() {
    return this.deps.config.providers.jira;
  }

  protected override extraAuthorizeParams(): Record<string, string> {
    return { audience: 'api.atlassian.com', prompt: 'consent' };
  }

  protected async identify(tokens: TokenResponse): Promise<ProviderIdentity> {
    const res = await this.deps.http.call<AccessibleResource[]>('Jira', `${this.oauth.apiUrl}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const site = Array.isArray(res.body) ? res.body[0] : undefined;
    if (res.status !== 200 || !site) throw noJiraSite();
    return { externalAccountId: site.id, displayName: site.name, configuration: { site_url: site.url, site_name: site.name } };
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const res = await this.deps.http.call<{ accountId?: string; displayName?: string }>('Jira', `${this.siteApi(integration)}/myself`, {
      headers: { authorization: `Bearer ${await this.accessToken(integration)}` },
    });
    return { healthy: res.status === 200, details: res.status === 200 ? { accountId: res.body.accountId, site: integration.displayName } : { error: `HTTP ${res.status}` } };
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const params = new URLSearchParams({ startAt: String((query.page - 1) * query.perPage), maxResults: String(query.perPage) });
    if (query.search) params.set('query', query.search);
    const res = await this.deps.http.call<JiraProjectPage>('Jira', `${this.siteApi(integration)}/project/search?${params}`, {
      headers: { authorization: `Bearer ${await this.accessToken(integration)}` },
    });
    if (res.status !== 200 || !Array.isArray(res.body?.values)) throw providerCallFailed('Jira', 'project search', `HTTP ${res.status}`);
    return {
      repos: res.body.values.map((p) => ({ id: p.id, name: `${integration.displayName}/${p.key}`, private: p.isPrivate ?? true })),
      total: res.body.total,
    };
  }

  /** The token is granted for one site: the external account id is its cloud id. */
  protected override proxyBaseUrl(integration: IntegrationEntity): string {
    return `${this.oauth.apiUrl}/ex/jira/${encodeURIComponent(integration.externalAccountId)}`;
  }

  private siteApi(integration: IntegrationEntity): string {
    return `${this.proxyBaseUrl(integration)}/rest/api/3`;
  }
}
