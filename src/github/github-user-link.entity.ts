import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { UserEntity } from '../organizations/user.entity';

/** A hub user's personal GitHub account within one organization, recorded when they finish GitHub's user OAuth. */
@Entity('github_user_links')
@Index('UQ_github_user_links_org_user', ['organizationId', 'userId'], { unique: true })
export class GithubUserLinkEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
  @Index() @Column({ name: 'github_user_id', type: 'bigint' }) githubUserId: string;
  @Column({ name: 'github_login', type: 'varchar', length: 255 }) githubLogin: string;
  /** Sealed user-to-server token (bound to this table, row and field); used to check which installations the user sees. */
  @Column({ name: 'sealed_user_token', type: 'text', nullable: true }) sealedUserToken: string | null;
  @Column({ name: 'user_token_expires_at', type: 'timestamptz', nullable: true }) userTokenExpiresAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
