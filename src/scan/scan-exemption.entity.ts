import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/**
 * A finding accepted for a while: with a check, the acknowledgement of that finding on one repository; without, an
 * exemption of the whole repository. Each has a reason and an expiry, after which the findings count again.
 */
@Entity('github_scan_exemptions')
@Index('IDX_github_scan_exemptions_org_repo', ['organizationId', 'repo'])
export class ScanExemptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  /** owner/name, as scan results name repositories. */
  @Column({ type: 'varchar', length: 255 }) repo: string;
  /** null: every check of the repository (an exemption). */
  @Column({ type: 'varchar', length: 64, nullable: true }) check: string | null;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
