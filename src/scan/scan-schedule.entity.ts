import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/** An organization's scheduled scans: a cron expression (UTC) and when the next one is due. */
@Entity('github_scan_schedules')
export class ScanScheduleEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ type: 'varchar', length: 100 }) cron: string;
  @Column({ name: 'next_run_at', type: 'timestamptz' }) nextRunAt: Date;
  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true }) lastRunAt: Date | null;
  @Column({ name: 'last_scan_id', type: 'uuid', nullable: true }) lastScanId: string | null;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
