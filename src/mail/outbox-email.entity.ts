import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Sealed } from '../common/sealed-column';
import { OrganizationEntity } from '../organizations/organization.entity';

export enum OutboxStatus {
  /** Waiting for delivery (or kept because no SMTP server is configured). */
  Unsent = 'unsent',
  Sent = 'sent',
  /** Not sent, and never will be: an admin discarded it, or it was no longer relevant when delivery came. */
  Discarded = 'discarded',
}

/** Every email goes through this table first, so an SMTP outage delays mail and never loses it. */
@Entity('outbox_emails')
@Index(['status', 'createdAt'])
export class OutboxEmailEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'to_addresses', type: 'text', array: true }) to: string[];
  @Column({ name: 'reply_to', type: 'varchar', length: 320, nullable: true }) replyTo: string | null;
  @Column({ type: 'varchar', length: 512 }) subject: string;
  /** Sealed: an invitation's body carries its one-time token. */
  @Sealed('body_text') @Column({ name: 'body_text', type: 'text' }) text: string;
  /** Groups messages for de-duplication (e.g. access request project/kind/requester). */
  @Index() @Column({ name: 'dedupe_key', type: 'varchar', length: 256, nullable: true }) dedupeKey: string | null;
  /** The organization the mail is sent for (its admins list and manage it); null for mail of no organization. */
  @Index() @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId: string | null;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity | null;
  /**
   * What the mail is about, `<kind>:<id>` (`invite:…`, `access_request:…`): checked again just before delivery, so
   * an invite accepted, expired or revoked, or a request resolved meanwhile, is not mailed late.
   */
  @Column({ type: 'varchar', length: 128, nullable: true }) about: string | null;
  @Column({ type: 'varchar', length: 16, default: OutboxStatus.Unsent }) status: OutboxStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** Generation of the delivery job (`email-<id>-<n>`); the sweeper bumps it when a job gave up. 0: never queued. */
  @Column({ name: 'delivery_generation', type: 'int', default: 0 }) deliveryGeneration: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
