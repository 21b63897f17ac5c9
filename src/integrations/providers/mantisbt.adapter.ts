import { Injectable, OnModuleInit } from '@nestjs/common';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS, settingsSchema } from './capabilities';
import type { ConnectMethod, ConnectResult, HealthResult, ProviderAdapter, ProviderContext, ProxyTarget, RepoPage, RepoQuery } from './provider-adapter';
import { ProviderDeps } from './provider-deps.service';
import { paginate, stringField } from './provider-http.service';
import { credentialsRejected, integrationNotConnected, invalidCredentialsInput, providerCallFailed } from '../integrations.errors';

interface MantisUser {
  id: number;
  name: string;
  email?: string;
}

interface MantisCredentials {
  api_token: string;
  /** The base URL the token was validated against: the only place it is ever sent. */
  url?: string;
}

/** MantisBT REST: an API token sent in `Authorization`; `GET /api/rest/users/me` validates, projects are the repos. */
@Injectable()
export class MantisbtAdapter implements ProviderAdapter, OnModuleInit {
  readonly provider = IntegrationProvider.Mantisbt;
  readonly displayName = 'MantisBT';
  readonly connectMethod: ConnectMethod = 'api_token';
  readonly checks = [CHECKS.issueTracking];
  readonly actions = [ACTIONS.createIssue, ACTIONS.comment];
  readonly configurationSchema = settingsSchema(['url', 'username', 'default_project_id', 'category']);

  constructor(private readonly deps: ProviderDeps) {}

  onModuleInit(): void {
    this.deps.registry.register(this);
  }

  missingSettings(): string[] {
    return [];
  }

  async connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult> {
    const token = stringField(body, 'token', true);
    const base = normalizeBase(stringField(body, 'url') ?? this.deps.config.mantisbtUrl);
    if (!base || !/^https?:\/\//.test(base)) throw invalidCredentialsInput('url', 'url (the MantisBT base URL) is required');
    const user = await this.me(base, token);
    if (!user) throw credentialsRejected('MantisBT', 'HTTP 401');
    const { integration, created } = await this.deps.integrations.upsert({
      organizationId: ctx.principal.organizationId,
      projectId: ctx.projectId,
      provider: this.provider,
      externalAccountId: `${base}#${user.id}`,
      displayName: `${user.name} @ ${new URL(base).host}`,
      configuration: { url: base, username: user.name },
      credentials: { api_token: token, url: base } satisfies MantisCredentials,
      createdBy: ctx.principal.userId,
    });
    return { kind: 'connected', integration, created };
  }

  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const user = await this.me(this.base(integration), this.token(integration));
    return { healthy: !!user, details: user ? { username: user.name } : { error: 'MantisBT rejected the token' } };
  }

  async listRepos(integration: IntegrationEntity, query: RepoQuery): Promise<RepoPage> {
    const res = await this.deps.http.call<{ projects?: Array<{ id: number; name: string; view_state?: { name?: string } }> }>(
      'MantisBT',
      `${this.base(integration)}/api/rest/projects`,
      { headers: { authorization: this.token(integration) } },
    );
    if (res.status !== 200 || !Array.isArray(res.body?.projects)) throw providerCallFailed('MantisBT', 'projects', `HTTP ${res.status}`);
    const projects = res.body.projects.map((p) => ({ id: String(p.id), name: `mantisbt/${p.name}`, private: p.view_state?.name !== 'public' }));
    return paginate(projects, query.page, query.perPage, query.search);
  }

  /** The MantisBT instance the token was validated against, with the token as MantisBT takes it (bare, in `Authorization`). */
  async proxyTarget(integration: IntegrationEntity): Promise<ProxyTarget> {
    return { baseUrl: this.base(integration), credentialHeaders: { authorization: this.token(integration) } };
  }

  credentialDestination(configuration: Record<string, unknown>): string | null {
    return typeof configuration.url === 'string' ? (normalizeBase(configuration.url) ?? null) : null;
  }

  /** The URL bound to the token at connect; rows connected before the binding fall back to the configuration. */
  private base(integration: IntegrationEntity): string {
    const bound = this.deps.integrations.readCredentials<MantisCredentials>(integration)?.url;
    return bound ?? (JSON.parse(integration.configuration) as { url: string }).url;
  }

  private token(integration: IntegrationEntity): string {
    const creds = this.deps.integrations.readCredentials<MantisCredentials>(integration);
    if (!creds) throw integrationNotConnected('MantisBT integration has no token');
    return creds.api_token;
  }

  private async me(base: string, token: string): Promise<MantisUser | null> {
    const res = await this.deps.http.call<MantisUser>('MantisBT', `${base}/api/rest/users/me`, { headers: { authorization: token } });
    return res.status === 200 && res.body?.id !== undefined ? res.body : null;
  }
}

function normalizeBase(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '');
}
