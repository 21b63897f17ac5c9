import { Inject, Injectable } from '@nestjs/common';
import type { OrgPrincipal } from '../auth/principal';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { codeMissing, stateInvalid } from '../integrations/integrations.errors';
import { OAuthStateService } from '../integrations/oauth-state.service';
import { IntegrationProvider } from '../integrations/integration.enums';
import { CreateGithubAppManifestDto, GithubAppManifestDto, GithubAppRegisteredDto } from './dto/app-manifest.dto';
import { GithubAppSettingsService } from './github-app-settings.service';
import { GithubClient } from './github-client.service';
import { invalidPermissionLevel } from './github.errors';

/** The single-use state's kind (oauth_states.kind). */
const MANIFEST_STATE_KIND = 'github_app_manifest';

/**
 * What the hub reads with an installation token (see docs/providers/github.md): repository metadata, branch
 * protection, rulesets and collaborators (administration), SECURITY.md and CODEOWNERS (contents), teams (members),
 * Dependabot and secret scanning alerts.
 */
export const GITHUB_APP_PERMISSIONS: Readonly<Record<string, string>> = {
  metadata: 'read',
  administration: 'read',
  contents: 'read',
  members: 'read',
  vulnerability_alerts: 'read',
  secret_scanning_alerts: 'read',
};

/**
 * The webhook events the hub acts on (scan cache invalidation, `github.changed` events). `installation`,
 * `installation_repositories`, `installation_target` and `github_app_authorization` reach every App without a subscription.
 */
export const GITHUB_APP_EVENTS: readonly string[] = ['repository', 'branch_protection_rule', 'repository_ruleset', 'member', 'team', 'secret_scanning_alert'];

const LEVELS = new Set(['read', 'write', 'admin']);

/** GitHub's App manifest flow: a form that registers the App on GitHub, and the callback that stores what GitHub created. */
@Injectable()
export class GithubAppManifestService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly states: OAuthStateService,
    private readonly settings: GithubAppSettingsService,
    private readonly github: GithubClient,
  ) {}

  /** The manifest of this hub's App (URLs from SITE_URL) and the form that posts it to GitHub. */
  async begin(principal: OrgPrincipal, dto: CreateGithubAppManifestDto): Promise<GithubAppManifestDto> {
    const permissions = { ...GITHUB_APP_PERMISSIONS };
    for (const [name, level] of Object.entries(dto.extra_permissions ?? {})) {
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(name) || typeof level !== 'string' || !LEVELS.has(level)) throw invalidPermissionLevel(String(name).slice(0, 64));
      permissions[name] = level;
    }
    await this.settings.assertNoApp();
    const site = this.config.siteUrl;
    const callback = `${site}/api/integrations/${IntegrationProvider.Github}/callback`;
    const manifest = {
      name: dto.name ?? `Integrations Hub ${new URL(site).hostname}`.slice(0, 34),
      url: site,
      hook_attributes: { url: `${site}/api/webhooks/github`, active: true },
      redirect_url: `${site}/api/github/app-manifest/callback`,
      callback_urls: [callback],
      setup_url: callback,
      setup_on_update: false,
      request_oauth_on_install: false,
      public: false,
      default_permissions: permissions,
      default_events: [...GITHUB_APP_EVENTS],
    };
    const issued = await this.states.issue({ kind: MANIFEST_STATE_KIND, userId: principal.userId, organizationId: principal.organizationId, projectId: null, next: null });
    const web = this.config.github.webUrl;
    const page = dto.github_organization ? `${web}/organizations/${encodeURIComponent(dto.github_organization)}/settings/apps/new` : `${web}/settings/apps/new`;
    const actionUrl = `${page}?state=${encodeURIComponent(issued.state)}`;
    return { action_url: actionUrl, manifest, state: issued.state, expires_at: issued.expiresAt.toISOString(), html: formPage(actionUrl, manifest) };
  }

  /** GitHub's redirect after the App was created: exchanges the code once and stores the App sealed. */
  async complete(code: string | undefined, state: string | undefined): Promise<GithubAppRegisteredDto> {
    const claimed = state ? await this.states.consume(state, MANIFEST_STATE_KIND) : null;
    if (!claimed) throw stateInvalid();
    if (!code) throw codeMissing();
    await this.settings.assertNoApp();
    const app = await this.github.convertManifest(code);
    const row = await this.settings.store(app, { userId: claimed.userId, organizationId: claimed.organizationId });
    return {
      app_id: row.appId,
      slug: row.slug,
      client_id: row.clientId,
      html_url: row.htmlUrl,
      owner_login: row.ownerLogin,
      install_url: `${this.config.github.webUrl}/apps/${encodeURIComponent(row.slug)}/installations/new`,
      source: 'manifest',
    };
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page that posts the manifest to GitHub as soon as it opens (GitHub's documented form, with a button as fallback). */
function formPage(actionUrl: string, manifest: Record<string, unknown>): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Create the GitHub App</title></head>',
    '<body onload="document.forms[0].submit()">',
    `<form action="${escapeHtml(actionUrl)}" method="post">`,
    `<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}">`,
    '<button type="submit">Create the GitHub App on GitHub</button>',
    '</form></body></html>',
    '',
  ].join('\n');
}
