import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/** Who did what to which object, when, with which key and in which request. Never secrets. */
@Entity('audit_log')
@Index(['organizationId', 'createdAt'])
@Index(['organizationId', 'target'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ name: 'actor_user_id', type: 'uuid' }) actorUserId: string;
  @Column({ name: 'key_id', type: 'varchar', length: 64, nullable: true }) keyId: string | null;
  /** Dotted `<object>.<verb>`, e.g. `app_connection.create`. */
  @Column({ type: 'varchar', length: 64 }) action: string;
  /** `<object type>:<id>`, e.g. `app_connection:3c90c3cc-...`. */
  @Column({ type: 'varchar', length: 255 }) target: string;
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true }) requestId: string | null;
  /** The client's address as the hub saw it (TRUST_PROXY decides whether X-Forwarded-For counts); null from the CLI. */
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  /** Non-secret fields that changed: `{field: {old, new}}`, or what was created (`{field: value}`). Never secrets. */
  @Column({ type: 'jsonb', nullable: true }) changes: Record<string, unknown> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
