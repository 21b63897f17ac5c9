import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

@Entity('personal_api_keys')
export class PersonalApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
  @Column({ type: 'varchar', length: 128 }) label: string;
  /** SHA-256 (hex) of the key; the key itself is shown once and never stored. */
  @Column({ name: 'secure_value', type: 'char', length: 64, unique: true }) secureValue: string;
  /** Prefix and last four characters, e.g. `ihk_…a1b2`. */
  @Column({ name: 'mask_value', type: 'varchar', length: 32 }) maskValue: string;
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'scoped_organization_id', type: 'uuid', nullable: true }) scopedOrganizationId: string | null;
  /**
   * The organization the key was created in: what a request that names none (no X-Organization-Id) acts on when the
   * user belongs to several. Unlike the pin it does not restrict the key.
   */
  @ManyToOne(() => OrganizationEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'default_organization_id' })
  defaultOrganization?: OrganizationEntity | null;
  @Column({ name: 'default_organization_id', type: 'uuid', nullable: true }) defaultOrganizationId: string | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
