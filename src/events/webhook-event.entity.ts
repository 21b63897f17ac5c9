import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/**
 * The outbox: one row per event, written in the transaction of the change that caused it (only when some
 * subscription wants it). `body` is the exact JSON every delivery of the event sends.
 */
@Entity('webhook_events')
@Index(['organizationId', 'createdAt'])
export class WebhookEventEntity {
  /** `evt_<snowflake>`: the Standard Webhooks `webhook-id`, the same on every attempt and replay. */
  @PrimaryColumn({ type: 'varchar', length: 40 }) id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
