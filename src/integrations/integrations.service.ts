import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, IsNull, Repository } from 'typeorm';
import { KeyRing } from '../common/sealed-secrets';
import { SnowflakeService } from '../common/snowflake.service';
import { IntegrationEntity } from './integration.entity';
import { IntegrationItemType, IntegrationProvider, IntegrationStatus } from './integration.enums';
import { isInt64Id } from '../common/int64-id';
import { isUniqueViolation } from '../common/database-errors';
import { integrationNotFound } from './integrations.errors';

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

const SEAL_FIELD = 'credentials';

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
  ) {}

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
    const saved = await this.integrations.save(row);
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

  findByExternalAccount(provider: IntegrationProvider, externalAccountId: string): Promise<IntegrationEntity[]> {
    return this.integrations.find({ where: { provider, externalAccountId }, order: { createdAt: 'ASC' } });
  }

  async setStatus(ids: string[], status: IntegrationStatus, errors: string | null): Promise<void> {
    if (ids.length === 0) return;
    await this.integrations.update({ id: In(ids) }, { status, errors });
  }

  /** Stable order (oldest first, then id) for listings. */
  listInOrganization(organizationId: string, filter: { provider?: IntegrationProvider; projectId?: string } = {}, page?: { limit: number; offset: number }) {
    const where: FindOptionsWhere<IntegrationEntity> = { organizationId, ...(filter.provider ? { provider: filter.provider } : {}), ...(filter.projectId ? { projectId: filter.projectId } : {}) };
    return this.integrations.findAndCount({ where, order: { createdAt: 'ASC', id: 'ASC' }, ...(page ? { take: page.limit, skip: page.offset } : {}) });
  }

  async update(row: IntegrationEntity, changes: Partial<Pick<IntegrationEntity, 'configuration' | 'enabled' | 'lastSyncedAt' | 'metadata'>>): Promise<IntegrationEntity> {
    Object.assign(row, changes);
    await this.integrations.update({ id: row.id }, changes as never);
    return row;
  }

  /** Disconnected rows keep their history but lose their secrets. */
  async markDisconnected(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.integrations.update({ id: In(ids) }, { status: IntegrationStatus.Disconnected, errors: null, sealedCredentials: null, credentialsExpiresAt: null });
  }

  async remove(row: IntegrationEntity): Promise<void> {
    await this.integrations.delete({ id: row.id });
  }

  readCredentials<T = Record<string, unknown>>(row: IntegrationEntity): T | null {
    return row.sealedCredentials ? (JSON.parse(this.keyRing.open(row.sealedCredentials, sealContext(row.id))) as T) : null;
  }

  async writeCredentials(row: IntegrationEntity, credentials: Record<string, unknown>, expiresAt: Date | null): Promise<void> {
    row.sealedCredentials = this.keyRing.seal(JSON.stringify(credentials), sealContext(row.id));
    row.credentialsExpiresAt = expiresAt;
    await this.integrations.update({ id: row.id }, { sealedCredentials: row.sealedCredentials, credentialsExpiresAt: expiresAt });
  }
}

export function sealContext(rowId: string) {
  return { table: 'integrations', rowId, field: SEAL_FIELD };
}
