import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A single-use OAuth/installation state. Only its SHA-256 is stored. */
@Entity('oauth_states')
export class OAuthStateEntity {
  @PrimaryColumn({ name: 'state_hash', type: 'char', length: 64 }) stateHash: string;
  @Column({ type: 'varchar', length: 32 }) kind: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @Column({ name: 'project_id', type: 'uuid', nullable: true }) projectId: string | null;
  @Column({ name: 'next_path', type: 'varchar', length: 2048, nullable: true }) next: string | null;
  /** Sealed PKCE verifier (bound to this state). */
  @Column({ name: 'sealed_code_verifier', type: 'text', nullable: true }) sealedCodeVerifier: string | null;
  /** Non-secret flow data (e.g. the installation id the user OAuth bootstrap is for). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @Index() @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true }) consumedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
