import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { IntegrationEntity } from './integration.entity';
import type { IntegrationProvider } from './integration.enums';

/** A rule that uses one integration's checks or actions. Disabled (with a reason) when its integration is disconnected. */
@Entity('policies')
export class PolicyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 16 }) provider: IntegrationProvider;
  /** The integration it depends on; resolved at creation to a connected integration of `provider`. */
  @Index() @Column({ name: 'integration_id', type: 'bigint', nullable: true }) integrationId: string | null;
  @ManyToOne(() => IntegrationEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'integration_id' })
  integration?: IntegrationEntity;
  @Column({ name: 'check_id', type: 'varchar', length: 64, nullable: true }) check: string | null;
  @Column({ name: 'action_id', type: 'varchar', length: 64, nullable: true }) action: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) config: Record<string, unknown>;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ name: 'disabled_reason', type: 'text', nullable: true }) disabledReason: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
