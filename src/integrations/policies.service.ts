import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { OrgPrincipal } from '../auth/principal';
import type { CreatePolicyDto, PolicyDto, UpdatePolicyDto } from './dto/policy.dto';
import { toPolicy } from './integration-mappers';
import type { IntegrationEntity } from './integration.entity';
import { IntegrationStatus } from './integration.enums';
import { IntegrationsService } from './integrations.service';
import { PolicyEntity } from './policy.entity';
import { ProviderRegistry } from './providers/provider-registry.service';
import { policyNeedsIntegration, policyNotFound, policyProviderMismatch, unknownAction, unknownCheck } from './integrations.errors';

/** Policies: rules over one integration's checks and actions. */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(PolicyEntity) private readonly policies: Repository<PolicyEntity>,
    private readonly integrations: IntegrationsService,
    private readonly registry: ProviderRegistry,
  ) {}

  async list(principal: OrgPrincipal): Promise<PolicyDto[]> {
    const rows = await this.policies.find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toPolicy);
  }

  async get(principal: OrgPrincipal, id: string): Promise<PolicyDto> {
    return toPolicy(await this.find(principal, id));
  }

  async create(principal: OrgPrincipal, body: CreatePolicyDto): Promise<PolicyDto> {
    const adapter = this.registry.get(body.provider);
    this.assertCapabilities(adapter.checks.map((c) => c.id), adapter.actions.map((a) => a.id), body.check, body.action);
    const integration = body.integration_id
      ? await this.integrations.findInOrganization(principal.organizationId, body.integration_id)
      : await this.firstConnected(principal.organizationId, body);
    if (integration && integration.provider !== body.provider) throw policyProviderMismatch();
    const enabled = body.enabled ?? true;
    if (enabled) this.assertConnected(integration, body.provider);
    const row = await this.policies.save(
      this.policies.create({
        organizationId: principal.organizationId,
        name: body.name,
        provider: body.provider,
        integrationId: integration?.id ?? null,
        check: body.check ?? null,
        action: body.action ?? null,
        config: body.config ?? {},
        enabled,
        disabledReason: null,
        createdBy: principal.userId,
      }),
    );
    return toPolicy(row);
  }

  async update(principal: OrgPrincipal, id: string, body: UpdatePolicyDto): Promise<PolicyDto> {
    const row = await this.find(principal, id);
    const adapter = this.registry.get(row.provider);
    this.assertCapabilities(adapter.checks.map((c) => c.id), adapter.actions.map((a) => a.id), body.check, body.action);
    if (body.enabled === true && !row.enabled) {
      const integration = row.integrationId ? await this.integrations.findInOrganization(principal.organizationId, row.integrationId).catch(() => null) : null;
      this.assertConnected(integration, row.provider);
      row.disabledReason = null;
    }
    Object.assign(row, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.check !== undefined ? { check: body.check } : {}),
      ...(body.action !== undefined ? { action: body.action } : {}),
      ...(body.config !== undefined ? { config: body.config } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    });
    return toPolicy(await this.policies.save(row));
  }

  async remove(principal: OrgPrincipal, id: string): Promise<void> {
    await this.policies.delete({ id: (await this.find(principal, id)).id });
  }

  /** Disables the enabled policies that depend on these integrations, recording why; answers their ids. */
  async disableForIntegrations(integrations: IntegrationEntity[], reason: string): Promise<string[]> {
    if (integrations.length === 0) return [];
    const rows = await this.policies.find({ where: { integrationId: In(integrations.map((i) => i.id)), enabled: true } });
    if (rows.length === 0) return [];
    await this.policies.update({ id: In(rows.map((r) => r.id)) }, { enabled: false, disabledReason: reason });
    return rows.map((r) => r.id);
  }

  enabledUsing(integrationId: string): Promise<PolicyEntity[]> {
    return this.policies.find({ where: { integrationId, enabled: true }, order: { name: 'ASC' } });
  }

  private async find(principal: OrgPrincipal, id: string): Promise<PolicyEntity> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.policies.findOne({ where: { id, organizationId: principal.organizationId } }) : null;
    if (!row) throw policyNotFound();
    return row;
  }

  private async firstConnected(organizationId: string, body: CreatePolicyDto): Promise<IntegrationEntity | null> {
    const [rows] = await this.integrations.listInOrganization(organizationId, { provider: body.provider });
    return rows.find((r) => r.status === IntegrationStatus.Connected) ?? null;
  }

  private assertConnected(integration: IntegrationEntity | null, provider: string): void {
    if (!integration || integration.status !== IntegrationStatus.Connected) {
      throw policyNeedsIntegration(provider);
    }
  }

  private assertCapabilities(checks: string[], actions: string[], check?: string, action?: string): void {
    if (check !== undefined && !checks.includes(check)) throw unknownCheck(check, checks);
    if (action !== undefined && !actions.includes(action)) throw unknownAction(action, actions);
  }
}
