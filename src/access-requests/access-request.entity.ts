import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AccessRequestStatus } from './access-request.enums';

/** A member's request that the project's admins connect an integration of some kind. */
@Entity('access_requests')
@Index(['projectId', 'kind', 'status'])
export class AccessRequestEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'varchar', length: 32 }) kind: string;
  @Column({ name: 'requester_id', type: 'uuid' }) requesterId: string;
  /** Copied at request time so the requester can be emailed without reaching into the identity module. */
  @Column({ name: 'requester_email', type: 'varchar', length: 320 }) requesterEmail: string;
  @Column({ name: 'requester_name', type: 'varchar', length: 256 }) requesterName: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'varchar', length: 16, default: AccessRequestStatus.Pending }) status: AccessRequestStatus;
  @Column({ type: 'text', nullable: true }) note: string | null;
  /** The admin who resolved it; null when it was approved by connecting the integration without a known actor. */
  @Column({ name: 'resolved_by', type: 'uuid', nullable: true }) resolvedBy: string | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
