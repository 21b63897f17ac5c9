import { Injectable } from '@nestjs/common';
import Ajv from 'ajv';
import type { OrgPrincipal } from '../auth/principal';
import { JobQueue } from '../queue/job-queue';
import type { IntegrationObjectDto, SyncAcceptedDto, UpdateIntegrationObjectDto } from './dto/integration-object.dto';
import { toIntegrationObject } from './integration-mappers';
import { IntegrationsService } from './integrations.service';
import { ProviderRegistry } from './providers/provider-registry.service';
import { AuditService } from '../audit/audit.service';
import type { IntegrationEntity } from './integration.entity';
import { IntegrationAuditAction, IntegrationStatus } from './integration.enums';
import { credentialDestinationLocked, integrationDisabled, integrationInError, integrationNotConnected, invalidConfiguration } from './integrations.errors';

export const SYNC_JOB = 'sync';

export interface SyncJobData {
  integrationId: string;
  organizationId: string;
}

/** vRaptor's integration object face (MANAGE_ORGANISATION is checked by the route declaration). */
@Injectable()
export class IntegrationObjectService {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly registry: ProviderRegistry,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async get(principal: OrgPrincipal, id: string): Promise<IntegrationObjectDto> {
    return toIntegrationObject(await this.integrations.findInOrganization(principal.organizationId, id));
  }

  async update(principal: OrgPrincipal, id: string, body: UpdateIntegrationObjectDto, requestId: string): Promise<IntegrationObjectDto> {
    const row = await this.integrations.findInOrganization(principal.organizationId, id);
    const changes: { configuration?: string; enabled?: boolean } = {};
    if (body.configuration !== undefined) {
      changes.configuration = this.validConfiguration(row.provider, body.configuration);
      await this.assertCredentialStays(principal, row, changes.configuration, requestId);
    }
    if (body.enabled !== undefined) changes.enabled = body.enabled;
    return toIntegrationObject(await this.integrations.update(row, changes));
  }

  async sync(principal: OrgPrincipal, id: string): Promise<SyncAcceptedDto> {
    const row = await this.integrations.findInOrganization(principal.organizationId, id);
    if (!row.enabled) throw integrationDisabled();
    // A sync of an integration that cannot authenticate could only fail: say why now.
    if (row.status === IntegrationStatus.Error) throw integrationInError(row.errors ?? 'The integration is in error: reconnect it');
    if (row.status === IntegrationStatus.Disconnected) throw integrationNotConnected('The integration is disconnected: reconnect it');
    // One pending sync per integration: a second request while one waits joins it.
    const jobId = `sync:${row.id}:${Math.floor(Date.now() / 1000)}`;
    await this.queue.add<SyncJobData>('integrations', SYNC_JOB, { integrationId: row.id, organizationId: row.organizationId }, { jobId, attempts: 3 });
    return { id: row.id, job_id: jobId, status: 'queued' };
  }

  /**
   * A configuration edit must not move where the stored credential is sent (an admin pointing MantisBT's `url`
   * at a host of their choosing would receive the token with the next health check): refused, and audited.
   */
  private async assertCredentialStays(principal: OrgPrincipal, row: IntegrationEntity, configuration: string, requestId: string): Promise<void> {
    const adapter = this.registry.find(row.provider);
    if (!adapter?.credentialDestination) return;
    const before = adapter.credentialDestination(JSON.parse(row.configuration) as Record<string, unknown>);
    const after = adapter.credentialDestination(JSON.parse(configuration) as Record<string, unknown>);
    if (after === null || after === before) return;
    await this.audit.record(principal, { action: IntegrationAuditAction.DestinationChangeRefused, target: `integration:${row.id}`, requestId });
    throw credentialDestinationLocked(row.provider);
  }

  /** `configuration` is JSON text that must match the provider's schema; answers it normalized. */
  private validConfiguration(provider: string, text: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidConfiguration('configuration must be JSON text');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidConfiguration('configuration must be a JSON object');
    }
    const schema = this.registry.find(provider)?.configurationSchema;
    if (schema) {
      const validate = this.ajv.compile(schema);
      if (!validate(parsed)) {
        const details = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message, params: e.params }));
        throw invalidConfiguration(`configuration does not match the ${provider} schema`, details);
      }
    }
    return JSON.stringify(parsed);
  }
}
