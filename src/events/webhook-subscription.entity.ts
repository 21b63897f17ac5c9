import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { Sealed } from '../common/sealed-column';

/** An internal service's endpoint and the events it wants; its signing secrets are sealed. */
@Entity('webhook_subscriptions')
@Index(['organizationId', 'createdAt'])
export class WebhookSubscriptionEntity {
  /** Assigned before insert: the sealed secrets are bound to it. */
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  @Column({ name: 'event_types', type: 'text', array: true }) eventTypes: string[];
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  /** Why the hub disabled it (days of failures); null when enabled or disabled by a person. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true }) disabledReason: string | null;
  @Sealed('sealed_secret') @Column({ name: 'sealed_secret', type: 'text' }) sealedSecret: string;
  /** The secret before the last roll, still signing until `previousSecretExpiresAt`. */
  @Sealed('sealed_previous_secret') @Column({ name: 'sealed_previous_secret', type: 'text', nullable: true }) sealedPreviousSecret: string | null;
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true }) previousSecretExpiresAt: Date | null;
  /** Start of the current run of failed attempts; cleared by any success. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true }) failingSince: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
