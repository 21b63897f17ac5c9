import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryStatus } from './events.enums';
import { WebhookEventEntity } from './webhook-event.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** One event to one subscription: its attempts, last response and next attempt. */
@Entity('webhook_deliveries')
@Index(['subscriptionId', 'createdAt'])
@Index('IDX_webhook_deliveries_due', ['nextAttemptAt'], { where: `status IN ('pending', 'sending')` })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'event_id', type: 'varchar', length: 40 }) eventId: string;
  @ManyToOne(() => WebhookEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: WebhookEventEntity;
  @Column({ name: 'subscription_id', type: 'uuid' }) subscriptionId: string;
  @ManyToOne(() => WebhookSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: WebhookSubscriptionEntity;
  @Column({ type: 'varchar', length: 16 }) status: WebhookDeliveryStatus;
  /** Attempts started so far. */
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  /** While `sending`: after this the attempt is presumed lost (the worker died) and the sweeper queues it again. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  /** Bumped each time the sweeper queues the delivery again, so the new job's id differs from the lost one's. */
  @Column({ name: 'sweep_generation', type: 'int', default: 0 }) sweepGeneration: number;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'response_time_ms', type: 'int', nullable: true }) responseTimeMs: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true }) lastError: string | null;
  @Column({ name: 'first_attempt_at', type: 'timestamptz', nullable: true }) firstAttemptAt: Date | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null;
  @Column({ name: 'succeeded_at', type: 'timestamptz', nullable: true }) succeededAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
