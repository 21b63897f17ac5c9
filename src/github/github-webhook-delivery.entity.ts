import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per X-GitHub-Delivery id: a redelivered id is recognized and ignored. */
@Entity('github_webhook_deliveries')
export class GithubWebhookDeliveryEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'varchar', length: 64 }) deliveryId: string;
  @Column({ type: 'varchar', length: 64 }) event: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) action: string | null;
  @Index() @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true }) processedAt: Date | null;
}
