import { Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { roleAtLeast, OrgRole } from '../auth/roles';
import { assertRelativeNext } from '../integrations/integration-flows.service';
import { IntegrationProvider, IntegrationStatus } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import { ProjectsService } from '../organizations/projects.service';
import { ProjectIntegrationDto } from '../integrations/dto/project-integration.dto';
import { toProjectIntegration } from '../integrations/integration-mappers';
import { AvailableInstallationDto, LinkExistingDto, OauthAuthorizeDto } from './dto/project-github.dto';
import { GithubInstallFlowService } from './github-install-flow.service';
import { GithubInstallationEntity } from './github-installation.entity';
import { GithubInstallationsService } from './github-installations.service';
import { GithubUserLinksService } from './github-user-links.service';
import { isInt64Id } from '../common/int64-id';
import { installationIdRequired, linkExistingMultipleInstallations, linkExistingOrphanInstallation, linkExistingPersonalGithubRequired, linkExistingSourceTeamNotFound } from './github.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  ) {}

  async available(principal: OrgPrincipal): Promise<AvailableInstallationDto[]> {
    const siblings = await this.siblings(principal);
    const visible = await this.visibleTo(principal);
    return siblings
      .filter((s) => !visible || visible.has(s.installation.installationId))
      .map((s) => ({ installation_id: s.installation.installationId, account_login: s.installation.accountLogin, account_type: s.installation.accountType, project_ids: s.projectIds }));
  }

  async linkExisting(principal: OrgPrincipal, dto: LinkExistingDto): Promise<ProjectIntegrationDto> {
    let candidates = await this.siblings(principal);
    if (dto.source_team_id !== undefined) {
      const org = UUID.test(dto.source_team_id) ? await this.projects.organizationOf(dto.source_team_id) : null;
      if (org !== principal.organizationId) throw linkExistingSourceTeamNotFound();
      candidates = candidates.filter((c) => c.projectIds.includes(dto.source_team_id as string));
    }
    if (dto.installation_id !== undefined) candidates = candidates.filter((c) => c.installation.installationId === String(dto.installation_id));
    if (candidates.length === 0) {
      throw linkExistingOrphanInstallation();
    }
    if (candidates.length > 1) {
      throw linkExistingMultipleInstallations();
    }
    const chosen = candidates[0].installation;
    const visible = await this.visibleTo(principal);
    if (visible && !visible.has(chosen.installationId)) {
      throw linkExistingPersonalGithubRequired();
    }
    const { integration } = await this.installations.link(
      { organizationId: principal.organizationId, projectId: principal.projectId ?? null, actorUserId: principal.userId },
      { id: Number(chosen.installationId), account: { login: chosen.accountLogin, id: Number(chosen.accountId), type: chosen.accountType }, repository_selection: chosen.repositorySelection, suspended_at: chosen.suspendedAt?.toISOString() ?? null },
    );
    return toProjectIntegration(integration);
  }

  async oauthAuthorize(principal: OrgPrincipal, dto: OauthAuthorizeDto): Promise<{ oauth_url: string }> {
    if (!dto.installation_id || !isInt64Id(dto.installation_id)) throw installationIdRequired();
    const next = assertRelativeNext(dto.next);
    const url = await this.flow.oauthUrl({ userId: principal.userId, organizationId: principal.organizationId, projectId: principal.projectId ?? null, next, installationId: dto.installation_id });
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
