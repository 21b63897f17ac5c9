import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/**
 * A GitHub App installation linked to exactly one organization (the primary key makes a second organization's
 * claim fail). Its projects' integrations point at it through `external_account_id`.
 */
@Entity('github_installations')
export class GithubInstallationEntity {
  @PrimaryColumn({ name: 'installation_id', type: 'bigint' }) installationId: string;
  @Index() @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ name: 'account_login', type: 'varchar', length: 255 }) accountLogin: string;
  @Column({ name: 'account_id', type: 'bigint' }) accountId: string;
  @Column({ name: 'account_type', type: 'varchar', length: 32 }) accountType: string;
  @Column({ name: 'repository_selection', type: 'varchar', length: 16 }) repositorySelection: string;
  /** Set by the `installation` webhook; tokens are not minted while suspended or deleted. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true }) suspendedAt: Date | null;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
