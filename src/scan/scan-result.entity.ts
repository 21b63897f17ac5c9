import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrgSnapshot } from './org-settings';
import type { RepoSnapshot } from './repo-snapshot';
import type { Finding } from './scan-findings';
import { ScanEntity } from './scan.entity';
import { RepoResultStatus } from './scan.enums';

/** What one scan recorded for one repository; the key (scan, repository) makes a resumed page an idempotent upsert. */
@Entity('github_scan_results')
@Index('IDX_github_scan_results_scan_repo', ['scanId', 'repo'])
export class ScanResultEntity {
  @PrimaryColumn({ name: 'scan_id', type: 'uuid' }) scanId: string;
  @PrimaryColumn({ name: 'repository_id', type: 'bigint' }) repositoryId: string;
  @ManyToOne(() => ScanEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'scan_id' })
  scan?: ScanEntity;
  @Column({ type: 'varchar', length: 255 }) repo: string;
  @Column({ name: 'installation_id', type: 'bigint' }) installationId: string;
  @Column({ type: 'varchar', length: 16 }) status: RepoResultStatus;
  /** A repository's snapshot, or the organization's own (repository id: the negative of its account id). */
  @Column({ type: 'jsonb' }) snapshot: RepoSnapshot | OrgSnapshot;
  @Column({ type: 'jsonb' }) findings: Finding[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
