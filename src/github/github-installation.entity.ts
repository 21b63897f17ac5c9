import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/** A GitHub account object (simple-user) as GitHub sent it: flat strings, numbers and booleans. */
export type GithubAccountObject = Record<string, string | number | boolean | null>;

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
  /** GitHub's `account` object (simple-user) as GitHub last described it; null for rows linked before it was kept. */
  @Column({ name: 'account', type: 'jsonb', nullable: true }) account: GithubAccountObject | null;
  /** The permissions the installation has accepted, as GitHub last described them (`new_permissions_accepted` refreshes). */
  @Column({ name: 'permissions', type: 'jsonb', default: () => "'{}'" }) permissions: Record<string, string>;
  @Column({ name: 'events', type: 'jsonb', default: () => "'[]'" }) events: string[];
  @Column({ name: 'single_file_name', type: 'varchar', length: 1024, nullable: true }) singleFileName: string | null;
  /** GitHub's `suspended_by` (simple-user) while suspended. */
  @Column({ name: 'suspended_by', type: 'jsonb', nullable: true }) suspendedBy: GithubAccountObject | null;
  /** GitHub's own timestamps of the installation (the hub's row has its own below). */
  @Column({ name: 'github_created_at', type: 'timestamptz', nullable: true }) githubCreatedAt: Date | null;
  @Column({ name: 'github_updated_at', type: 'timestamptz', nullable: true }) githubUpdatedAt: Date | null;
  /** Set by the `installation` webhook; tokens are not minted while suspended or deleted. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true }) suspendedAt: Date | null;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
