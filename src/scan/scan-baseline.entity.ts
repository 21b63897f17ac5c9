import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import type { ScanBaseline } from './scan-baseline';

/** An organization's edited baseline (absent: the default one). */
@Entity('github_scan_baselines')
export class ScanBaselineEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' }) organisationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganizationEntity;
  @Column({ type: 'jsonb' }) baseline: Partial<ScanBaseline>;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
