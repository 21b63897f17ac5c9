import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { ProjectEntity } from '../organizations/project.entity';
import { IntegrationItemType, IntegrationProvider, IntegrationStatus } from './integration.enums';

/**
 * One integration row, rendered by three API faces. Secrets never live in `configuration`: they are sealed
 * (AES-256-GCM, bound to this table, row and field) in `sealed_credentials`.
 */
@Entity('integrations')
// One integration per (organization, provider, external account, project); workspace-level rows have no project.
@Index('UQ_integrations_project_account', ['organizationId', 'provider', 'externalAccountId', 'projectId'], { unique: true, where: '"project_id" IS NOT NULL' })
@Index('UQ_integrations_workspace_account', ['organizationId', 'provider', 'externalAccountId'], { unique: true, where: '"project_id" IS NULL' })
@Index(['provider', 'externalAccountId'])
export class IntegrationEntity {
  /** Snowflake (64-bit), serialized as a decimal string. */
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Index() @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  /** Null for workspace-level integrations. */
  @Column({ name: 'project_id', type: 'uuid', nullable: true }) projectId: string | null;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
  @Column({ type: 'varchar', length: 16 }) provider: IntegrationProvider;
  /** The provider-side account: GitHub installation id, Slack team id, GitLab user id, email domain, ... */
  @Column({ name: 'external_account_id', type: 'varchar', length: 255 }) externalAccountId: string;
  @Column({ name: 'item_type', type: 'varchar', length: 32, default: IntegrationItemType.Issue }) itemType: IntegrationItemType;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  /** Non-secret settings: JSON text validated against the provider's schema. */
  @Column({ type: 'text', default: '{}' }) configuration: string;
  @Column({ name: 'display_name', type: 'varchar', length: 255 }) displayName: string;
  @Column({ type: 'varchar', length: 16, default: IntegrationStatus.Connected }) status: IntegrationStatus;
  @Column({ type: 'text', nullable: true }) errors: string | null;
  /** Sealed JSON of the provider secrets (tokens, webhook URLs); see IntegrationsService.readCredentials. */
  @Column({ name: 'sealed_credentials', type: 'text', nullable: true }) sealedCredentials: string | null;
  @Column({ name: 'credentials_expires_at', type: 'timestamptz', nullable: true }) credentialsExpiresAt: Date | null;
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true }) lastSyncedAt: Date | null;
  /** What the last sync learned (repository count and names, ...); non-secret. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, unknown>;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
