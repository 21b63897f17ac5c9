import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { EventOutboxService } from '../events/event-outbox.service';
import { WebhookEventType } from '../events/events.enums';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationProvider, IntegrationStatus } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import { GithubClient } from './github-client.service';
import { accountLoginRequired, accountMismatch, installationDeleted, installationIdRequired, installationLinkedElsewhere, installationNotFound, installationSuspended } from './github.errors';
import { GithubAccountObject, GithubInstallationEntity } from './github-installation.entity';
import { InstallationLocalCache } from './installation-local-cache';
import { InstallationTokensService } from './installation-tokens.service';
import { isGithubInstallationId } from './installation-id';

/** GitHub's installation object, as far as the hub keeps it (the optional parts are absent when re-linking a known row). */
export interface GithubInstallationInfo {
  id: number;
  account: ({ login: string; id: number; type: string } & GithubAccountObject) | null;
  repository_selection: string;
  suspended_at: string | null;
  permissions?: Record<string, string>;
  events?: string[];
  single_file_name?: string | null;
  suspended_by?: GithubAccountObject | null;
  created_at?: string;
  updated_at?: string;
}

/** The installation after `refresh`, and the permissions it had before. */
export interface InstallationRefresh {
  row: GithubInstallationEntity;
  previousPermissions: Record<string, string>;
}

export interface LinkRequest {
  organizationId: string;
  projectId: string | null;
  actorUserId: string | null;
}

const LIFECYCLE_EVENTS = {
  deleted: WebhookEventType.GithubInstallationDeleted,
  suspend: WebhookEventType.GithubInstallationSuspended,
  unsuspend: WebhookEventType.GithubInstallationUnsuspended,
} as const;


/** Installations and the organizations they belong to; one organization per installation, several per organization. */

/** How long a process trusts what it read of an installation's suspended/deleted state (see assertMintable). */
const MINTABLE_TTL_MS = 1_000;
@Injectable()
export class GithubInstallationsService {
  constructor(
    @InjectRepository(GithubInstallationEntity) private readonly installations: Repository<GithubInstallationEntity>,
    private readonly github: GithubClient,
    private readonly integrations: IntegrationsService,
    private readonly tokens: InstallationTokensService,
    private readonly local: InstallationLocalCache,
    private readonly events: EventOutboxService,
  ) {}

  /** Asks GitHub (as the app) for the installation; 404 when the app has no such installation. */
  async fetch(installationId: string): Promise<GithubInstallationInfo> {
    if (!isGithubInstallationId(installationId)) throw installationNotFound(installationId);
    const res = await this.github.asApp<GithubInstallationInfo>('GET /app/installations/{installation_id}', { installation_id: Number(installationId) }, { notFound: installationNotFound(installationId) });
    return res.data;
  }

  /** Verifies with GitHub that the installation exists and belongs to `accountLogin`, then links it. */
  async connect(req: LinkRequest, installationId: unknown, accountLogin: unknown): Promise<{ integration: IntegrationEntity; created: boolean }> {
    const id = typeof installationId === 'number' ? String(installationId) : installationId;
    if (!isGithubInstallationId(id)) throw installationIdRequired('installationId');
    if (typeof accountLogin !== 'string' || accountLogin.trim() === '') throw accountLoginRequired();
    const info = await this.fetch(id);
    const owner = info.account?.login ?? '';
    if (owner.toLowerCase() !== accountLogin.trim().toLowerCase()) {
      throw accountMismatch(id, owner, accountLogin.trim());
    }
    return this.link(req, info);
  }

  /** Claims the installation for the organization (409 if another holds it) and upserts the integration. */
  async link(req: LinkRequest, info: GithubInstallationInfo): Promise<{ integration: IntegrationEntity; created: boolean }> {
    const id = String(info.id);
    const fields = { ...installationFields(info), deletedAt: null };
    await this.installations
      .createQueryBuilder()
      .insert()
      .values({ installationId: id, organizationId: req.organizationId, createdBy: req.actorUserId, ...fields })
      .orIgnore()
      .execute();
    const row = await this.installations.findOneByOrFail({ installationId: id });
    if (row.organizationId !== req.organizationId) {
      throw installationLinkedElsewhere();
    }
    await this.installations.update({ installationId: id }, fields);
    await this.local.forget(id);
    return this.integrations.upsert({
      organizationId: req.organizationId,
      projectId: req.projectId,
      provider: IntegrationProvider.Github,
      externalAccountId: id,
      displayName: fields.accountLogin,
      configuration: { installation_id: id, account: { login: fields.accountLogin, type: fields.accountType }, repository_selection: fields.repositorySelection },
      createdBy: req.actorUserId,
    });
  }

  /**
   * Re-reads the installation from GitHub and stores what changed (account login after a rename, accepted permissions,
   * events). Answers null when the hub has not linked it.
   */
  async refresh(installationId: string): Promise<InstallationRefresh | null> {
    const before = await this.installations.findOneBy({ installationId });
    if (!before) return null;
    const info = await this.fetch(installationId);
    const fields = installationFields(info);
    await this.installations.update({ installationId }, fields);
    await this.local.forget(installationId);
    if (fields.accountLogin !== before.accountLogin) {
      for (const integration of await this.integrations.findByExternalAccount(IntegrationProvider.Github, installationId)) {
        const configuration = JSON.parse(integration.configuration) as { account?: Record<string, unknown> };
        await this.integrations.update(integration, { configuration: JSON.stringify({ ...configuration, account: { ...configuration.account, login: fields.accountLogin } }) });
      }
    }
    return { row: await this.installations.findOneByOrFail({ installationId }), previousPermissions: before.permissions };
  }

  /**
   * The organization's installation on a GitHub account (`login`, case-insensitive as on GitHub), optionally of one
   * account type; 404 when the organization has none.
   */
  async findByAccount(organizationId: string, login: string, accountType?: 'Organization' | 'User'): Promise<GithubInstallationEntity[]> {
    const query = this.installations
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId AND i.deleted_at IS NULL AND lower(i.account_login) = lower(:login)', { organizationId, login })
      .orderBy('i.created_at', 'ASC')
      .addOrderBy('i.installation_id', 'ASC');
    if (accountType) query.andWhere('i.account_type = :accountType', { accountType });
    return query.getMany();
  }

  /** The organization's installation, or 404 (also when it belongs to another organization or was uninstalled). */
  /**
   * `findInOrganization`'s row when the broker's local layer holds it, without a promise (the cached mint's path);
   * undefined when it must be read (or the id is malformed, or the installation is not the organization's: then
   * `findInOrganization` gives the answer).
   */
  cachedInOrganization(organizationId: string, installationId: string): GithubInstallationEntity | undefined {
    if (!isGithubInstallationId(installationId)) return undefined;
    return this.local.get<GithubInstallationEntity | null>(installationId, organizationId) ?? undefined;
  }

  async findInOrganization(organizationId: string, installationId: string): Promise<GithubInstallationEntity> {
    if (!isGithubInstallationId(installationId)) throw installationNotFound(installationId);
    // The row's key in the installation's entries is the organization id itself (a UUID, unlike the other keys:
    // `mintable` and the token keys): the principal's string, already hashed, rather than a new one a request.
    const key = organizationId;
    let row = this.local.get<GithubInstallationEntity | null>(installationId, key);
    if (row === undefined) row = await this.local.load(installationId, key, () => this.installations.findOneBy({ installationId, organizationId, deletedAt: IsNull() }));
    if (!row) throw installationNotFound(installationId);
    return row;
  }

  /**
   * Refuses (403) an installation the hub learned, through the `installation` webhook, is suspended or uninstalled,
   * whichever organization linked it: GitHub refuses its tokens, and the hub stops minting at once. An installation
   * the hub never linked passes; GitHub has the last word on it.
   */
  async assertMintable(installationId: string): Promise<void> {
    if (!isGithubInstallationId(installationId)) return;
    // Kept in the broker's local layer beside the tokens for at most MINTABLE_TTL_MS: suspend and uninstall webhooks
    // forget it in every process at once (Redis pub/sub); a change that reaches PostgreSQL some other way (or an
    // eviction lost with Redis) is seen within that second. Reading PostgreSQL on every cached mint costs the hot path
    // a query and a database round trip (bench:tokens).
    let state = this.local.get<'deleted' | 'suspended' | 'mintable'>(installationId, 'mintable');
    if (state === undefined) {
      state = await this.local.load(
        installationId,
        'mintable',
        async () => {
          const [row] = (await this.installations.query('SELECT deleted_at IS NOT NULL AS deleted, suspended_at IS NOT NULL AS suspended FROM github_installations WHERE installation_id = $1', [
            installationId,
          ])) as Array<{ deleted: boolean; suspended: boolean }>;
          return row?.deleted ? 'deleted' : row?.suspended ? 'suspended' : 'mintable';
        },
        () => MINTABLE_TTL_MS,
      );
    }
    if (state === 'deleted') throw installationDeleted();
    if (state === 'suspended') throw installationSuspended();
  }

  listInOrganization(organizationId: string, page: number, perPage: number): Promise<[GithubInstallationEntity[], number]> {
    return this.installations.findAndCount({
      where: { organizationId, deletedAt: IsNull() },
      order: { createdAt: 'ASC', installationId: 'ASC' },
      skip: (page - 1) * perPage,
      take: perPage,
    });
  }

  /**
   * After a disconnect: when no connected integration of the organization uses the installation any more, the
   * link is removed, so no token is minted for it and it may be connected again (here or elsewhere).
   */
  async unlinkIfUnused(organizationId: string, installationId: string): Promise<boolean> {
    const stillUsed = (await this.integrations.findByExternalAccount(IntegrationProvider.Github, installationId)).some(
      (row) => row.organizationId === organizationId && row.status !== IntegrationStatus.Disconnected,
    );
    if (stillUsed) return false;
    await this.installations.delete({ installationId, organizationId });
    await this.tokens.evict(installationId);
    return true;
  }

  /** Applies an `installation` webhook: deleted/suspend disconnect its integrations and stop minting; unsuspend restores. */
  /**
   * What stops minting for a suspended or deleted installation: the row's state and every cached token. Applied
   * before a webhook is answered, so no replica mints for it even while no worker runs.
   */
  async revoke(installationId: string, action: 'deleted' | 'suspend'): Promise<void> {
    const now = new Date();
    // Only the first delivery stamps the time; redeliveries and the queued job keep it.
    await this.installations.update({ installationId, ...(action === 'deleted' ? { deletedAt: IsNull() } : { suspendedAt: IsNull() }) }, action === 'deleted' ? { deletedAt: now } : { suspendedAt: now });
    await this.tokens.evict(installationId);
  }

  async applyLifecycle(installationId: string, action: 'deleted' | 'suspend' | 'unsuspend'): Promise<void> {
    if (action === 'unsuspend') {
      await this.installations.update({ installationId }, { suspendedAt: null });
      await this.local.forget(installationId);
    } else {
      await this.revoke(installationId, action);
    }
    const rows = await this.integrations.findByExternalAccount(IntegrationProvider.Github, installationId);
    const reason = action === 'deleted' ? 'The GitHub App was uninstalled' : action === 'suspend' ? 'The GitHub App installation is suspended' : null;
    // The integrations' new status and the event commit together.
    await this.installations.manager.transaction(async (tx) => {
      await this.integrations.setStatus(rows.map((r) => r.id), reason ? IntegrationStatus.Disconnected : IntegrationStatus.Connected, reason, tx);
      const installation = await tx.getRepository(GithubInstallationEntity).findOneBy({ installationId });
      if (installation) await this.recordEvent(tx, LIFECYCLE_EVENTS[action], installation);
    });
    await this.integrations.changed(rows.map((r) => r.id));
  }

  /** After an `installation_repositories` webhook refreshed the list the installation reaches. */
  async repositoriesChanged(installationId: string, repositoryCount: number): Promise<void> {
    const installation = await this.installations.findOneBy({ installationId });
    if (!installation) return;
    await this.installations.manager.transaction((tx) =>
      this.recordEvent(tx, WebhookEventType.GithubInstallationRepositoriesChanged, installation, { repository_count: repositoryCount }),
    );
  }

  private recordEvent(tx: EntityManager, type: WebhookEventType, row: GithubInstallationEntity, extra: Record<string, unknown> = {}): Promise<string> {
    const installation = { id: row.installationId, account: { login: row.accountLogin, type: row.accountType }, repository_selection: row.repositorySelection };
    return this.events.record(tx, { type, organizationId: row.organizationId, payload: { installation, ...extra } });
  }
}

/** The row's columns from GitHub's installation object; parts GitHub did not describe are left as they are. */
function installationFields(info: GithubInstallationInfo): Partial<GithubInstallationEntity> & Pick<GithubInstallationEntity, 'accountLogin'> {
  return {
    accountLogin: info.account?.login ?? '',
    accountId: String(info.account?.id ?? 0),
    accountType: info.account?.type ?? 'Organization',
    repositorySelection: info.repository_selection,
    suspendedAt: info.suspended_at ? new Date(info.suspended_at) : null,
    ...(info.account && 'node_id' in info.account ? { account: info.account } : {}),
    ...(info.permissions ? { permissions: info.permissions } : {}),
    ...(info.events ? { events: info.events } : {}),
    ...(info.single_file_name !== undefined ? { singleFileName: info.single_file_name } : {}),
    ...(info.suspended_by !== undefined ? { suspendedBy: info.suspended_by } : {}),
    ...(info.created_at ? { githubCreatedAt: new Date(info.created_at) } : {}),
    ...(info.updated_at ? { githubUpdatedAt: new Date(info.updated_at) } : {}),
  };
}
