import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, IsNull, Repository } from 'typeorm';
import { KeyRing } from '../common/sealed-secrets';
import { SnowflakeService } from '../common/snowflake.service';
import { EventOutboxService } from '../events/event-outbox.service';
import { WebhookEventType } from '../events/events.enums';
import { IntegrationEntity } from './integration.entity';
import { IntegrationItemType, IntegrationProvider, IntegrationStatus } from './integration.enums';
import { isInt64Id } from '../common/int64-id';
import { isUniqueViolation } from '../common/database-errors';
import { integrationNotFound, integrationOverwriteForbidden } from './integrations.errors';
import { overwritesRefused } from './overwrite-guard';
import { sealContextOf } from '../common/sealed-column';
import { IntegrationVersions } from './integration-versions.service';

export interface UpsertIntegration {
  organizationId: string;
  projectId: string | null;
  provider: IntegrationProvider;
  externalAccountId: string;
  displayName: string;
  configuration?: Record<string, unknown>;
  /** Secrets; sealed before they reach the database. */
  credentials?: Record<string, unknown> | null;
  credentialsExpiresAt?: Date | null;
  itemType?: IntegrationItemType;
  createdBy: string | null;
}


/** Called after an integration is connected (created, or reconnected after a disconnect or error). */
export type ConnectedListener = (integration: IntegrationEntity, actorUserId: string | null) => Promise<void>;

/**
 * The integration store every module goes through. One row per (organization, provider, external account,
 * project): connecting the same account again updates it.
 */
@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger(IntegrationsService.name);
  private readonly connectedListeners: ConnectedListener[] = [];

  constructor(
    @InjectRepository(IntegrationEntity) private readonly integrations: Repository<IntegrationEntity>,
    private readonly snowflake: SnowflakeService,
    private readonly keyRing: KeyRing,
    private readonly events: EventOutboxService,
    private readonly versions: IntegrationVersions,
  ) {}

  /**
   * Opened credentials by row object: a row kept by a cache (the provider proxy's) is decrypted once, not on every
   * call. Checked against the sealed value, so a row whose credentials were replaced is opened again.
   */
  private readonly opened = new WeakMap<IntegrationEntity, { sealed: string; plaintext: string }>();

  /** Other modules react to connections here (e.g. access requests are approved) without this module knowing them. */
  onConnected(listener: ConnectedListener): void {
    this.connectedListeners.push(listener);
  }

  async upsert(input: UpsertIntegration): Promise<{ integration: IntegrationEntity; created: boolean }> {
    try {
      return await this.upsertOnce(input);
    } catch (err) {
      // A concurrent connect of the same account inserted the row first (unique index): update that one instead.
      if (isUniqueViolation(err)) return this.upsertOnce(input);
      throw err;
    }
  }

  private async upsertOnce(input: UpsertIntegration): Promise<{ integration: IntegrationEntity; created: boolean }> {
    const existing = await this.integrations.findOne({
      where: {
        organizationId: input.organizationId,
        provider: input.provider,
        externalAccountId: input.externalAccountId,
        projectId: input.projectId === null ? IsNull() : input.projectId,
      },
    });
    if (existing && overwritesRefused()) throw integrationOverwriteForbidden();
    const wasConnected = existing?.status === IntegrationStatus.Connected;
    const row = existing ?? this.integrations.create({ id: this.snowflake.next(), organizationId: input.organizationId, projectId: input.projectId });
    row.provider = input.provider;
    row.externalAccountId = input.externalAccountId;
    row.displayName = input.displayName;
    row.status = IntegrationStatus.Connected;
    row.errors = null;
    if (!existing) {
      row.createdBy = input.createdBy;
      row.itemType = input.itemType ?? IntegrationItemType.Issue;
      row.enabled = true;
      row.configuration = JSON.stringify(input.configuration ?? {});
    } else if (input.configuration) {
      row.configuration = JSON.stringify(input.configuration);
    }
    if (input.credentials !== undefined) {
      row.sealedCredentials = input.credentials === null ? null : this.keyRing.seal(JSON.stringify(input.credentials), sealContext(row.id));
      row.credentialsExpiresAt = input.credentialsExpiresAt ?? null;
    }
    const saved = await this.integrations.manager.transaction(async (tx) => {
      const stored = await tx.save(row);
      await this.recordEvent(tx, wasConnected ? WebhookEventType.IntegrationUpdated : WebhookEventType.IntegrationConnected, stored);
      return stored;
    });
    if (existing) await this.versions.changed([saved.id]);
    if (!wasConnected) {
      for (const listener of this.connectedListeners) {
        await listener(saved, input.createdBy).catch((err: Error) => this.logger.error(`connected listener failed: ${err.message}`));
      }
    }
    return { integration: saved, created: !existing };
  }

  /** Finds an integration of the caller's organization; anything else is 404. */
  async findInOrganization(organizationId: string, id: string): Promise<IntegrationEntity> {
    const row = isInt64Id(id) ? await this.integrations.findOne({ where: { id, organizationId } }) : null;
    if (!row) throw integrationNotFound();
    return row;
  }

  /** How many integrations of `provider` reference each external account (one grouped query). */
  async countByExternalAccounts(provider: IntegrationProvider, externalAccountIds: string[]): Promise<Map<string, number>> {
    if (externalAccountIds.length === 0) return new Map();
    const rows: Array<{ external_account_id: string; n: string }> = await this.integrations
      .createQueryBuilder('i')
      .select('i.external_account_id', 'external_account_id')
      .addSelect('count(*)', 'n')
      .where('i.provider = :provider AND i.external_account_id IN (:...ids)', { provider, ids: [...new Set(externalAccountIds)] })
      .groupBy('i.external_account_id')
      .getRawMany();
    return new Map(rows.map((r) => [r.external_account_id, Number(r.n)]));
  }

  findByExternalAccount(provider: IntegrationProvider, externalAccountId: string): Promise<IntegrationEntity[]> {
    return this.integrations.find({ where: { provider, externalAccountId }, order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<IntegrationEntity | null> {
    return this.integrations.findOne({ where: { id } });
  }

  /**
   * `manager`: the caller's transaction, when the status change is part of a larger one; the caller then calls
   * `changed(ids)` once it has committed, so caches of the rows (the provider proxy's) drop them.
   */
  async setStatus(ids: string[], status: IntegrationStatus, errors: string | null, manager?: EntityManager): Promise<IntegrationEntity[]> {
    if (ids.length === 0) return [];
    const apply = async (tx: EntityManager) => {
      const rows = await tx.find(IntegrationEntity, { where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } });
      await tx.update(IntegrationEntity, { id: In(ids) }, { status, errors });
      const changed = rows.filter((r) => r.status !== status);
      for (const row of changed) {
        const previousStatus = row.status;
        Object.assign(row, { status, errors });
        await this.recordEvent(tx, WebhookEventType.IntegrationHealthChanged, row, { previous_status: previousStatus });
      }
      return rows;
    };
    if (manager) return apply(manager);
    const rows = await this.integrations.manager.transaction(apply);
    await this.versions.changed(ids);
    return rows;
  }

  /** Announces committed changes to these integrations made outside this service's own transactions. */
  changed(ids: string[]): Promise<void> {
    return this.versions.changed(ids);
  }

  /** An OAuth refresh the provider refused: the integration is in error until it is reconnected. */
  async markRefreshFailed(row: IntegrationEntity, message: string): Promise<void> {
    await this.integrations.manager.transaction(async (tx) => {
      await this.setStatus([row.id], IntegrationStatus.Error, message, tx);
      await this.recordEvent(tx, WebhookEventType.IntegrationRefreshFailed, { ...row, status: IntegrationStatus.Error, errors: message } as IntegrationEntity);
    });
    await this.versions.changed([row.id]);
  }

  /** Stable order (oldest first, then id) for listings. */
  /** The organization's integrations whose configuration names `value` under `key` (e.g. an `appConnectionId`), by id. */
  async referencing(organizationId: string, key: string, value: string): Promise<Array<{ id: string; displayName: string }>> {
    const rows = await this.integrations
      .createQueryBuilder('i')
      .select(['i.id', 'i.displayName'])
      .where('i.organizationId = :organizationId', { organizationId })
      .andWhere('i.configuration LIKE :hint', { hint: `%${key}%` })
      .andWhere('i.configuration::jsonb ->> :key = :value', { key, value })
      .orderBy('i.id')
      .getMany();
    return rows.map((r) => ({ id: r.id, displayName: r.displayName }));
  }

  listInOrganization(organizationId: string, filter: { provider?: IntegrationProvider; projectId?: string } = {}, page?: { limit: number; offset: number }) {
    const where: FindOptionsWhere<IntegrationEntity> = { organizationId, ...(filter.provider ? { provider: filter.provider } : {}), ...(filter.projectId ? { projectId: filter.projectId } : {}) };
    return this.integrations.findAndCount({ where, order: { createdAt: 'ASC', id: 'ASC' }, ...(page ? { take: page.limit, skip: page.offset } : {}) });
  }

  async update(row: IntegrationEntity, changes: Partial<Pick<IntegrationEntity, 'configuration' | 'enabled' | 'lastSyncedAt' | 'metadata'>>): Promise<IntegrationEntity> {
    Object.assign(row, changes);
    await this.integrations.manager.transaction(async (tx) => {
      await tx.update(IntegrationEntity, { id: row.id }, changes as never);
      // Sync bookkeeping (metadata, last_synced_at) is not a change subscribers are told about.
      if (changes.configuration !== undefined || changes.enabled !== undefined) await this.recordEvent(tx, WebhookEventType.IntegrationUpdated, row);
    });
    await this.versions.changed([row.id]);
    return row;
  }

  /** Disconnected rows keep their history but lose their secrets. */
  async markDisconnected(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.integrations.manager.transaction(async (tx) => {
      const rows = await tx.find(IntegrationEntity, { where: { id: In(ids) } });
      await tx.update(IntegrationEntity, { id: In(ids) }, { status: IntegrationStatus.Disconnected, errors: null, sealedCredentials: null, credentialsExpiresAt: null });
      for (const row of rows) await this.recordEvent(tx, WebhookEventType.IntegrationDisconnected, { ...row, status: IntegrationStatus.Disconnected, errors: null } as IntegrationEntity);
    });
    await this.versions.changed(ids);
  }

  async remove(row: IntegrationEntity): Promise<void> {
    await this.integrations.manager.transaction(async (tx) => {
      await tx.delete(IntegrationEntity, { id: row.id });
      await this.recordEvent(tx, WebhookEventType.IntegrationDisconnected, { ...row, status: IntegrationStatus.Disconnected } as IntegrationEntity, { deleted: true });
    });
    await this.versions.changed([row.id]);
  }

  readCredentials<T = Record<string, unknown>>(row: IntegrationEntity): T | null {
    const sealed = row.sealedCredentials;
    if (!sealed) return null;
    let opened = this.opened.get(row);
    if (opened?.sealed !== sealed) {
      opened = { sealed, plaintext: this.keyRing.open(sealed, sealContext(row.id)) };
      this.opened.set(row, opened);
    }
    // Parsed per call: callers may change what they get without touching the row's copy.
    return JSON.parse(opened.plaintext) as T;
  }

  /**
   * Runs `fn` holding `SELECT … FOR UPDATE` on the integration row, so one replica at a time works on its
   * credentials (token refresh); the others wait and then see what it committed.
   */
  async withLockedRow<T>(id: string, fn: (locked: LockedIntegration) => Promise<T>): Promise<T> {
    let wrote = false;
    const result = await this.integrations.manager.transaction(async (em) => {
      const repo = em.getRepository(IntegrationEntity);
      const row = await repo.createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
      if (!row) throw integrationNotFound();
      return fn({
        row,
        writeCredentials: async (credentials, expiresAt) => {
          row.sealedCredentials = this.keyRing.seal(JSON.stringify(credentials), sealContext(row.id));
          row.credentialsExpiresAt = expiresAt;
          await repo.update({ id: row.id }, { sealedCredentials: row.sealedCredentials, credentialsExpiresAt: expiresAt });
          wrote = true;
        },
      });
    });
    if (wrote) await this.versions.changed([id]);
    return result;
  }

  async writeCredentials(row: IntegrationEntity, credentials: Record<string, unknown>, expiresAt: Date | null): Promise<void> {
    row.sealedCredentials = this.keyRing.seal(JSON.stringify(credentials), sealContext(row.id));
    row.credentialsExpiresAt = expiresAt;
    await this.integrations.update({ id: row.id }, { sealedCredentials: row.sealedCredentials, credentialsExpiresAt: expiresAt });
    await this.versions.changed([row.id]);
  }

  /** The event payload: what identifies the integration and its state, never its credentials or configuration. */
  private recordEvent(tx: EntityManager, type: WebhookEventType, row: IntegrationEntity, extra: Record<string, unknown> = {}): Promise<string> {
    const integration = { id: row.id, provider: row.provider, project_id: row.projectId, display_name: row.displayName, status: row.status, enabled: row.enabled, errors: row.errors };
    return this.events.record(tx, { type, organizationId: row.organizationId, payload: { integration, ...extra } });
  }
}

/** What a caller holding the row lock may do with it. */
export interface LockedIntegration {
  row: IntegrationEntity;
  /** Seals and stores new credentials inside the lock's transaction. */
  writeCredentials(credentials: Record<string, unknown>, expiresAt: Date | null): Promise<void>;
}

function sealContext(rowId: string) {
  return sealContextOf(IntegrationEntity, 'sealedCredentials', rowId);
}
