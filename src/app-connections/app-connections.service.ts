import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { KeyRing } from '../common/sealed-secrets';
import { ProjectsService } from '../organizations/projects.service';
import { AppConnectionEntity } from './app-connection.entity';
import { AppConnectionApp, AppConnectionAuditAction, AppConnectionMethod } from './app-connection.enums';
import { toAppConnectionDto } from './app-connection.mapper';
import { connectionInUse, connectionNameNotFound, connectionNotFound, duplicateConnectionName, gatewayChangeNeedsCredentials, platformManagedNotSupported, versionConflict } from './app-connections.errors';
import { CredentialsHashService } from './credentials-hash.service';
import { AppConnectionDto } from './dto/app-connection.dto';
import { CreateGithubConnectionDto, UpdateGithubConnectionDto } from './dto/github-connection-input.dto';
import { GatewaysService } from './gateways.service';
import { GithubConnectionCredentials, GithubConnectionCredentialsService } from './github-connection-credentials.service';
import { isUniqueViolation } from '../common/database-errors';

export const appConnectionSealContext = (id: string) => ({ table: 'app_connections', rowId: id, field: 'credentials' });

/** A connection with its opened credentials, for features that use it. */
export interface OpenedConnection {
  row: AppConnectionEntity;
  credentials: GithubConnectionCredentials;
}

/**
 * App connections of an organization: named, sealed credentials. Integrations reference a connection by
 * putting its id in their configuration JSON as `appConnectionId`; such a connection cannot be deleted.
 */
@Injectable()
export class AppConnectionsService {
  constructor(
    @InjectRepository(AppConnectionEntity) private readonly connections: Repository<AppConnectionEntity>,
    private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
    private readonly hashes: CredentialsHashService,
    private readonly githubCredentials: GithubConnectionCredentialsService,
    private readonly gateways: GatewaysService,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
  ) {}

  async list(principal: OrgPrincipal, app?: AppConnectionApp, projectId?: string): Promise<AppConnectionDto[]> {
    const rows = await this.connections.find({
      where: { organizationId: principal.organizationId, ...(app ? { app } : {}), ...(projectId ? { projectId } : {}) },
      relations: { project: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => this.render(row));
  }

  async get(principal: OrgPrincipal, id: string): Promise<AppConnectionDto> {
    return this.render(await this.find(principal, id));
  }

  async getByName(principal: OrgPrincipal, name: string, projectId?: string): Promise<AppConnectionDto> {
    const row = await this.connections.findOne({
      where: { organizationId: principal.organizationId, app: AppConnectionApp.Github, name, projectId: projectId ?? IsNull() },
      relations: { project: true },
    });
    if (!row) throw connectionNameNotFound(name);
    return this.render(row);
  }

  async create(principal: OrgPrincipal, dto: CreateGithubConnectionDto, requestId: string): Promise<AppConnectionDto> {
    if (dto.isPlatformManagedCredentials) throw platformManagedNotSupported();
    const projectId = dto.projectId ? (await this.projects.get(principal, dto.projectId)).id : null;
    const proxyUrl = dto.gatewayId ? this.gateways.proxyUrl(dto.gatewayId) : undefined;
    await this.assertNameFree(principal.organizationId, projectId, dto.name);
    const credentials = await this.githubCredentials.verify(dto.credentials, proxyUrl);
    const id = randomUUID();
    const secrets = await this.sealed(id, credentials);
    await this.saveUnique(dto.name, () =>
      this.connections.insert({
        id,
        organizationId: principal.organizationId,
        projectId,
        name: dto.name,
        description: dto.description ?? null,
        app: AppConnectionApp.Github,
        method: dto.method,
        version: 1,
        isPlatformManagedCredentials: false,
        gatewayId: dto.gatewayId ?? null,
        ...secrets,
        createdBy: principal.userId,
      }),
    );
    await this.audit.record(principal, { action: AppConnectionAuditAction.Create, target: auditTarget(id), requestId });
    return this.get(principal, id);
  }

  /**
   * Optimistic concurrency: every change bumps `version` with a compare-and-swap on the version read, so of
   * concurrent updates one wins and the others answer 409 (never a lost update). A client that read the
   * connection can pin the version it saw (`version` in the body or `If-Match`).
   */
  async update(principal: OrgPrincipal, id: string, dto: UpdateGithubConnectionDto, requestId: string, ifMatch?: number): Promise<AppConnectionDto> {
    const row = await this.find(principal, id);
    const expected = dto.version ?? ifMatch;
    if (expected !== undefined && expected !== row.version) throw versionConflict(expected, row.version);
    const changes: Partial<AppConnectionEntity> = {};
    if (dto.name !== undefined && dto.name !== row.name) {
      await this.assertNameFree(row.organizationId, row.projectId, dto.name);
      changes.name = dto.name;
    }
    if (dto.description !== undefined && dto.description !== row.description) changes.description = dto.description;
    if (dto.gatewayId !== undefined && dto.gatewayId !== row.gatewayId) {
      // The gateway is where the credentials are used from: moving it needs them presented again.
      if (!dto.credentials) {
        await this.audit.record(principal, { action: AppConnectionAuditAction.DestinationChangeRefused, target: auditTarget(id), requestId });
        throw gatewayChangeNeedsCredentials();
      }
      if (dto.gatewayId) this.gateways.proxyUrl(dto.gatewayId);
      changes.gatewayId = dto.gatewayId;
    }
    let destinationChanged = changes.gatewayId !== undefined;
    if (dto.credentials) {
      const gatewayId = changes.gatewayId !== undefined ? changes.gatewayId : row.gatewayId;
      const credentials = await this.githubCredentials.verify(dto.credentials, gatewayId ? this.gateways.proxyUrl(gatewayId) : undefined);
      const previous = this.openCredentials(row);
      destinationChanged ||= previous.instanceType !== credentials.instanceType || (previous.host ?? null) !== (credentials.host ?? null);
      Object.assign(changes, await this.sealed(id, credentials));
    }
    if (Object.keys(changes).length === 0) return this.render(row);
    const written = await this.saveUnique(changes.name ?? row.name, () => this.connections.update({ id, version: row.version }, { ...changes, version: row.version + 1 }));
    if (!written.affected) throw versionConflict(row.version, (await this.find(principal, id)).version);
    await this.audit.record(principal, { action: AppConnectionAuditAction.Update, target: auditTarget(id), requestId });
    if (destinationChanged) await this.audit.record(principal, { action: AppConnectionAuditAction.DestinationChange, target: auditTarget(id), requestId });
    return this.get(principal, id);
  }

  async remove(principal: OrgPrincipal, id: string, requestId: string): Promise<AppConnectionDto> {
    const row = await this.find(principal, id);
    const references = await this.referencingIntegrations(row);
    if (references.length > 0) throw connectionInUse(references);
    const rendered = this.render(row);
    await this.connections.delete({ id });
    await this.audit.record(principal, { action: AppConnectionAuditAction.Delete, target: auditTarget(id), requestId });
    return rendered;
  }

  /** The connection and its opened credentials (404 outside the caller's organization). */
  async open(principal: OrgPrincipal, id: string): Promise<OpenedConnection> {
    const row = await this.find(principal, id);
    return { row, credentials: this.openCredentials(row) };
  }

  private async find(principal: OrgPrincipal, id: string): Promise<AppConnectionEntity> {
    const row = await this.connections.findOne({ where: { id, organizationId: principal.organizationId }, relations: { project: true } });
    if (!row) throw connectionNotFound(id);
    return row;
  }

  private async assertNameFree(organizationId: string, projectId: string | null, name: string): Promise<void> {
    const where: FindOptionsWhere<AppConnectionEntity> = { organizationId, name, projectId: projectId ?? IsNull() };
    if (await this.connections.exists({ where })) throw duplicateConnectionName(name);
  }

  /** Concurrent writers of one name: the unique index decides, and the loser gets the same 400. */
  private async saveUnique<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateConnectionName(name);
      throw err;
    }
  }

  private async sealed(id: string, credentials: GithubConnectionCredentials): Promise<Pick<AppConnectionEntity, 'credentialsHash' | 'sealedCredentials'>> {
    const canonical = { installationId: credentials.installationId, instanceType: credentials.instanceType, host: credentials.host };
    return {
      credentialsHash: await this.hashes.hash(AppConnectionApp.Github, AppConnectionMethod.GithubApp, canonical),
      sealedCredentials: this.keyRing.seal(JSON.stringify(canonical), appConnectionSealContext(id)),
    };
  }

  private openCredentials(row: AppConnectionEntity): GithubConnectionCredentials {
    return JSON.parse(this.keyRing.open(row.sealedCredentials, appConnectionSealContext(row.id))) as GithubConnectionCredentials;
  }

  private render(row: AppConnectionEntity): AppConnectionDto {
    return toAppConnectionDto(row, this.openCredentials(row));
  }

  /**
   * Integrations of the organization whose configuration names this connection (`"appConnectionId": "<id>"`).
   * The integrations table belongs to IntegrationsModule; this reads it without writing, by that convention.
   */
  private async referencingIntegrations(row: AppConnectionEntity): Promise<string[]> {
    const rows: Array<{ id: string; display_name: string }> = await this.dataSource.query(
      `SELECT id::text AS id, display_name FROM integrations WHERE organization_id = $1 AND configuration LIKE '%appConnectionId%' AND configuration::jsonb ->> 'appConnectionId' = $2 ORDER BY id`,
      [row.organizationId, row.id],
    );
    return rows.map((r) => `integration ${r.id} (${r.display_name})`);
  }
}

export const auditTarget = (id: string) => `app_connection:${id}`;
