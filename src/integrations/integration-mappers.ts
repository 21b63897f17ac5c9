import type { IntegrationObjectDto } from './dto/integration-object.dto';
import type { PolicyDto } from './dto/policy.dto';
import type { ProjectIntegrationDto } from './dto/project-integration.dto';
import type { WorkspaceIntegrationDto } from './dto/workspace-integration.dto';
import type { IntegrationEntity } from './integration.entity';
import type { PolicyEntity } from './policy.entity';

/** One row, three faces: each face renders the same integration its own way (never with secrets). */
export function toWorkspaceIntegration(row: IntegrationEntity): WorkspaceIntegrationDto {
  return {
    id: row.id,
    provider: row.provider,
    displayName: row.displayName,
    status: row.status,
    enabled: row.enabled,
    projectId: row.projectId,
    errors: row.errors,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    connectedAt: row.createdAt.toISOString(),
  };
}

export function toIntegrationObject(row: IntegrationEntity): IntegrationObjectDto {
  return { id: row.id, organisation_id: row.organizationId, item_type: row.itemType, provider: row.provider, enabled: row.enabled, configuration: row.configuration };
}

export function toProjectIntegration(row: IntegrationEntity): ProjectIntegrationDto {
  return {
    id: row.id,
    kind: row.provider,
    config: JSON.parse(row.configuration) as Record<string, unknown>,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    errors: row.errors ?? '',
    display_name: row.displayName,
  };
}

export function toPolicy(row: PolicyEntity): PolicyDto {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    integration_id: row.integrationId,
    check: row.check,
    action: row.action,
    config: row.config,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
