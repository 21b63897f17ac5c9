import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import type { ScanBaseline } from './scan-baseline';
import { ScanStatus } from './scan.enums';

/** Where a resumed scan continues: the installation being read and the GraphQL cursor after the last stored page. */
export interface ScanCheckpoint {
  installationIndex: number;
  cursor: string | null;
  /** Repositories per installation, as GitHub reported them on the first page. */
  totals: Record<string, number>;
}

/**
 * One scan of an organization. The partial unique index keeps one queued-or-scanning scan per organization across
 * every replica; the lease (owner + expiry, renewed while a worker runs it) lets another worker resume the scan
 * from its checkpoint when that worker dies.
 */
@Entity('github_scans')
@Index('UQ_github_scans_one_running', ['organizationId'], { unique: true, where: `status IN ('queued', 'scanning')` })
@Index('IDX_github_scans_org_created', ['organizationId', 'createdAt'])
export class ScanEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ type: 'varchar', length: 16 }) status: ScanStatus;
  /** The installations this scan reads, fixed when it starts. */
  @Column({ name: 'installation_ids', type: 'jsonb' }) installationIds: string[];
  /** The baseline in force when the scan started (findings are computed with it). */
  @Column({ type: 'jsonb' }) baseline: ScanBaseline;
  @Column({ type: 'jsonb', nullable: true }) checkpoint: ScanCheckpoint | null;
  @Column({ name: 'repos_total', type: 'int', default: 0 }) reposTotal: number;
  @Column({ name: 'repos_scanned', type: 'int', default: 0 }) reposScanned: number;
  /** Requests this scan sent to GitHub (cache hits and 304s excluded). */
  @Column({ name: 'github_requests', type: 'int', default: 0 }) githubRequests: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner: string | null;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
