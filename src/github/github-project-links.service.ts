import { Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { roleAtLeast, OrgRole } from '../auth/roles';
import { assertRelativeNext } from '../integrations/integration-flows.service';
import { IntegrationProvider, IntegrationStatus } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import { ProjectsService } from '../organizations/projects.service';
import { ProjectIntegrationDto } from '../integrations/dto/project-integration.dto';
import { ProjectIntegrationsService } from '../integrations/project-integrations.service';
import { AvailableInstallationDto, LinkExistingDto, OauthAuthorizeDto } from './dto/project-github.dto';
import { GithubInstallFlowService } from './github-install-flow.service';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { GithubUserLinksService } from './github-user-links.service';
import {
  installationIdRequiredText,
  invalidInstallationIdText,
  linkExistingOrphanInstallation,
  linkExistingPersonalGithubRequired,
  linkExistingSourceTeamNotFound,
  sourceTeamOrInstallationRequired,
  sourceTeamWithoutGithub,
} from './github.errors';
import { isUuid } from '../common/params';
import { isGithubInstallationId } from './installation-id';

const MAX_INSTALLATIONS = 1000;

interface Sibling {
  installation: GithubInstallationEntity;
  projectIds: string[];
}

/** PostHog's GitHub helpers on the project face: reuse a sibling project's installation, bootstrap user OAuth. */
@Injectable()
export class GithubProjectLinksService {
  constructor(
    private readonly installations: GithubInstallationsService,
    private readonly integrations: IntegrationsService,
    private readonly links: GithubUserLinksService,
    private readonly flow: GithubInstallFlowService,
    private readonly projects: ProjectsService,
    private readonly projectIntegrations: ProjectIntegrationsService,
  ) {}

  async available(principal: OrgPrincipal): Promise<AvailableInstallationDto[]> {
    const siblings = await this.siblings(principal);
    const visible = await this.visibleTo(principal);
    return siblings
      .filter((s) => !visible || visible.has(s.installation.installationId))
      .map((s) => ({ installation_id: s.installation.installationId, account_login: s.installation.accountLogin, account_type: s.installation.accountType, project_ids: s.projectIds }));
  }

  /**
   * Upstream's link_existing_team_github_integration (PostHog/posthog posthog/api/github_callback/team_services.py,
   * the version that answers an empty body with "source_team_id or installation_id is required"): by sibling
   * project, else by installation id; then a member must prove through a linked personal GitHub account that they
   * see the installation.
   */
  async linkExisting(principal: OrgPrincipal, dto: LinkExistingDto): Promise<ProjectIntegrationDto> {
    const installationId = dto.installation_id || null;
    if (installationId !== null && !isGithubInstallationId(installationId)) throw invalidInstallationIdText();
    const siblings = await this.siblings(principal);
    let chosen: GithubInstallationEntity;
    if (dto.source_team_id) {
      const sourceTeamId = dto.source_team_id;
      const org = isUuid(sourceTeamId) ? await this.projects.organizationOf(sourceTeamId) : null;
      if (org !== principal.organizationId) throw linkExistingSourceTeamNotFound();
      const fromSource = siblings.filter((c) => c.projectIds.includes(sourceTeamId) && (installationId === null || c.installation.installationId === installationId));
      if (fromSource.length === 0) throw sourceTeamWithoutGithub();
      chosen = fromSource[0].installation;
    } else if (installationId !== null) {
      const found = siblings.find((c) => c.installation.installationId === installationId);
      if (!found) throw linkExistingOrphanInstallation();
      chosen = found.installation;
    } else {
      throw sourceTeamOrInstallationRequired();
    }
    const visible = await this.visibleTo(principal);
    if (visible && !visible.has(chosen.installationId)) {
      throw linkExistingPersonalGithubRequired();
    }
    const { integration } = await this.installations.link(
      { organizationId: principal.organizationId, projectId: principal.projectId ?? null, actorUserId: principal.userId },
      { id: Number(chosen.installationId), account: { login: chosen.accountLogin, id: Number(chosen.accountId), type: chosen.accountType }, repository_selection: chosen.repositorySelection, suspended_at: chosen.suspendedAt?.toISOString() ?? null },
    );
    return (await this.projectIntegrations.present([integration]))[0];
  }

  /**
   * Upstream's build_team_github_oauth_authorize_url: the body read as text (`str(value or "")`), installation id
   * required and checked, `next` relative, `connect_from` kept only when it is `posthog_code`.
   */
  async oauthAuthorize(principal: OrgPrincipal, dto: OauthAuthorizeDto): Promise<{ oauth_url: string }> {
    const installationId = pyText(dto.installation_id);
    if (!installationId) throw installationIdRequiredText();
    if (!isGithubInstallationId(installationId)) throw invalidInstallationIdText();
    const next = assertRelativeNext(pyText(dto.next));
    const connectFrom = dto.connect_from === 'posthog_code' ? 'posthog_code' : connectFromOfNext(next);
    const url = await this.flow.oauthUrl({ userId: principal.userId, organizationId: principal.organizationId, projectId: principal.projectId ?? null, next, installationId, connectFrom });
    return { oauth_url: url };
  }

  /** Project admins see every installation; members only those their linked GitHub account sees (empty without a link). */
  private async visibleTo(principal: OrgPrincipal): Promise<Set<string> | null> {
    if (roleAtLeast(principal.role, OrgRole.Admin)) return null;
    const link = await this.links.find(principal.organizationId, principal.userId);
    if (!link) throw linkExistingPersonalGithubRequired();
    return this.links.visibleInstallationIds(link);
  }

  private async siblings(principal: OrgPrincipal): Promise<Sibling[]> {
    const [rows] = await this.installations.listInOrganization(principal.organizationId, 1, MAX_INSTALLATIONS);
    const out: Sibling[] = [];
    for (const installation of rows) {
      const integrations = await this.integrations.findByExternalAccount(IntegrationProvider.Github, installation.installationId);
      const projectIds = integrations
        .filter((i) => i.organizationId === principal.organizationId && i.projectId && i.projectId !== principal.projectId && i.status === IntegrationStatus.Connected)
        .map((i) => i.projectId as string);
      if (projectIds.length > 0) out.push({ installation, projectIds });
    }
    return out;
  }
}

/** Python's `str(value or "")` for a JSON value: falsy values are empty, numbers their decimal text. */
function pyText(value: unknown): string {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 0) return '';
  if (typeof value === 'object' && Object.keys(value as object).length === 0) return '';
  return JSON.stringify(value);
}

/** Upstream's _connect_from_for_next: `connect_from=posthog_code` in the query of `next`. */
function connectFromOfNext(next: string | null): 'posthog_code' | null {
  if (!next) return null;
  return new URL(next, 'http://next.invalid').searchParams.get('connect_from') === 'posthog_code' ? 'posthog_code' : null;
}
