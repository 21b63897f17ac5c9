import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { KeyRing } from '../common/sealed-secrets';
import { EventOutboxService } from '../events/event-outbox.service';
import { WebhookEventType } from '../events/events.enums';
import { ProjectsService } from '../organizations/projects.service';
import { AppConnectionEntity } from './app-connection.entity';
import { AppConnectionApp, AppConnectionAuditAction, AppConnectionMethod } from './app-connection.enums';
import { toAppConnectionDto } from './app-connection.mapper';
import { connectionInUse, connectionNameNotFound, connectionNotFound, credentialsFormatInvalid, duplicateConnectionName, gatewayChangeNeedsCredentials, projectNotFoundForConnection, versionConflict } from './app-connections.errors';
import { CredentialsHashService } from './credentials-hash.service';
import { AppConnectionDto, AvailableAppConnectionDto } from './dto/app-connection.dto';
import { CreateGithubConnectionDto, UpdateGithubConnectionDto } from './dto/github-connection-input.dto';
import { GatewaysService } from './gateways.service';
import { GithubConnectionCredentials, GithubConnectionCredentialsService } from './github-connection-credentials.service';
import { sealContextOf } from '../common/sealed-column';
import { IntegrationsService } from '../integrations/integrations.service';
import { isUuid } from '../common/params';
import { isUniqueViolation } from '../common/database-errors';



/** Infisical's method names (getAppConnectionMethodName), as its messages spell them. */
const METHOD_NAMES: Readonly<Record<AppConnectionMethod, string>> = {
  [AppConnectionMethod.GithubApp]: 'GitHub App',
  [AppConnectionMethod.OAuth]: 'OAuth',
};

/** Infisical lists connections by name, case-insensitively (`a.name.toLowerCase().localeCompare(...)`). */
const byName = <T extends { name: string }>(rows: T[]): T[] => rows.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));

const appConnectionSealContext = (id: string) => sealContextOf(AppConnectionEntity, 'sealedCredentials', id);

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
    private readonly integrations: IntegrationsService,
    private readonly keyRing: KeyRing,
    private readonly hashes: CredentialsHashService,
    private readonly githubCredentials: GithubConnectionCredentialsService,
    private readonly gateways: GatewaysService,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
  ) {}

  async list(principal: OrgPrincipal, app?: AppConnectionApp, projectId?: string): Promise<AppConnectionDto[]> {
    // Any string is a project id to Infisical; one that cannot name a project has no connections.
    if (projectId !== undefined && !isUuid(projectId)) return [];
    const rows = await this.connections.find({
      where: { organizationId: principal.organizationId, ...(app ? { app } : {}), ...(projectId ? { projectId } : {}) },
      relations: { project: true },
    });
    return byName(rows).map((row) => this.render(row));
  }

  /**
   * The connections a member may use: the organization's own and, given a project of the organization, that
   * project's (Infisical's `GET /:app/available`, name order). An unknown project is 400, as upstream.
   */
  async available(principal: OrgPrincipal, app: AppConnectionApp, projectId?: string): Promise<AvailableAppConnectionDto[]> {
    if (projectId !== undefined) await this.projectOf(principal, projectId);
    const rows = await this.connections.find({
      where: [{ organizationId: principal.organizationId, app, projectId: IsNull() }, ...(projectId ? [{ organizationId: principal.organizationId, app, projectId }] : [])],
    });
    return byName(rows).map((row) => ({ app: row.app, name: row.name, id: row.id, projectId: row.projectId, orgId: row.organizationId }));
  }

  async get(principal: OrgPrincipal, id: string): Promise<AppConnectionDto> {
    return this.render(await this.find(principal, id));
  }

  async getByName(principal: OrgPrincipal, name: string, projectId?: string): Promise<AppConnectionDto> {
    const scope = projectId ? 'project' : 'organization';
    if (projectId !== undefined && !isUuid(projectId)) throw connectionNameNotFound(name, scope);
    const row = await this.connections.findOne({
      where: { organizationId: principal.organizationId, app: AppConnectionApp.Github, name, projectId: projectId ?? IsNull() },
      relations: { project: true },
    });
    if (!row) throw connectionNameNotFound(name, scope);
    return this.render(row);
  }

  async create(principal: OrgPrincipal, dto: CreateGithubConnectionDto, requestId: string): Promise<AppConnectionDto> {
    const projectId = dto.projectId !== undefined ? await this.projectOf(principal, dto.projectId) : null;
    const proxyUrl = dto.gatewayId ? this.gateways.proxyUrl(dto.gatewayId) : undefined;
    await this.assertNameFree(principal.organizationId, projectId, dto.name);
    const credentials = await this.githubCredentials.verify(dto.method, dto.credentials, proxyUrl);
    const id = randomUUID();
    const secrets = await this.sealed(id, dto.method, credentials);
    await this.saveUnique(dto.name, () => this.dataSource.transaction(async (tx) => {
      await tx.insert(AppConnectionEntity, {
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
      });
      await this.recordEvent(tx, WebhookEventType.AppConnectionCreated, { id, organizationId: principal.organizationId, projectId, name: dto.name, app: AppConnectionApp.Github, method: dto.method });
    }));
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
      if (('installationId' in dto.credentials) !== (row.method === AppConnectionMethod.GithubApp)) throw credentialsFormatInvalid(METHOD_NAMES[row.method]);
      const credentials = await this.githubCredentials.verify(row.method, dto.credentials, gatewayId ? this.gateways.proxyUrl(gatewayId) : undefined);
      const previous = this.openCredentials(row);
      destinationChanged ||= previous.instanceType !== credentials.instanceType || (previous.host ?? null) !== (credentials.host ?? null);
      Object.assign(changes, await this.sealed(id, row.method, credentials));
    }
    if (Object.keys(changes).length === 0) return this.render(row);
    const written = await this.saveUnique(changes.name ?? row.name, () =>
      this.dataSource.transaction(async (tx) => {
        const result = await tx.update(AppConnectionEntity, { id, version: row.version }, { ...changes, version: row.version + 1 });
        if (result.affected) await this.recordEvent(tx, WebhookEventType.AppConnectionUpdated, { ...row, ...changes });
        return result;
      }),
    );
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
    await this.dataSource.transaction(async (tx) => {
      await tx.delete(AppConnectionEntity, { id });
      await this.recordEvent(tx, WebhookEventType.AppConnectionDeleted, row);
    });
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

  /** The project a connection is created in or filtered by: the organization's, else 400 as Infisical answers. */
  private async projectOf(principal: OrgPrincipal, projectId: string): Promise<string> {
    if (!isUuid(projectId) || (await this.projects.organizationOf(projectId)) !== principal.organizationId) throw projectNotFoundForConnection(projectId);
    return projectId;
  }

  private async sealed(id: string, method: AppConnectionMethod, credentials: GithubConnectionCredentials): Promise<Pick<AppConnectionEntity, 'credentialsHash' | 'sealedCredentials'>> {
    const instance = { instanceType: credentials.instanceType, host: credentials.host };
    const canonical = 'installationId' in credentials ? { installationId: credentials.installationId, ...instance } : { accessToken: credentials.accessToken, ...instance };
    return {
      credentialsHash: await this.hashes.hash(AppConnectionApp.Github, method, canonical),
      sealedCredentials: this.keyRing.seal(JSON.stringify(canonical), appConnectionSealContext(id)),
    };
  }

  private openCredentials(row: AppConnectionEntity): GithubConnectionCredentials {
    return JSON.parse(this.keyRing.open(row.sealedCredentials, appConnectionSealContext(row.id))) as GithubConnectionCredentials;
  }

  /** Names the connection, never its credentials. */
  private recordEvent(tx: EntityManager, type: WebhookEventType, row: Pick<AppConnectionEntity, 'id' | 'organizationId' | 'projectId' | 'name' | 'app' | 'method'>): Promise<string> {
    const appConnection = { id: row.id, name: row.name, app: row.app, method: row.method, project_id: row.projectId };
    return this.events.record(tx, { type, organizationId: row.organizationId, payload: { app_connection: appConnection } });
  }

  private render(row: AppConnectionEntity): AppConnectionDto {
    return toAppConnectionDto(row, this.openCredentials(row));
  }

  /** Integrations of the organization whose configuration names this connection (`"appConnectionId": "<id>"`). */
  private async referencingIntegrations(row: AppConnectionEntity): Promise<string[]> {
    const rows = await this.integrations.referencing(row.organizationId, 'appConnectionId', row.id);
    return rows.map((r) => `integration ${r.id} (${r.displayName})`);
  }
}

export const auditTarget = (id: string) => `app_connection:${id}`;
