import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Sealed } from '../common/sealed-column';

/** The one row id: the hub has a single GitHub App (instance-level, like the GITHUB_APP_* settings). */
export const GITHUB_APP_REGISTRATION_ID = 'default';

/**
 * The GitHub App created through the manifest flow (`POST /app-manifests/{code}/conversions`): used when the
 * GITHUB_APP_* environment settings are absent (they win when set). Key and secrets are sealed.
 */
@Entity('github_app_registrations')
export class GithubAppRegistrationEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 }) id: string;
  @Column({ name: 'app_id', type: 'varchar', length: 32 }) appId: string;
  @Column({ type: 'varchar', length: 100 }) slug: string;
  @Column({ name: 'client_id', type: 'varchar', length: 100 }) clientId: string;
  @Column({ name: 'html_url', type: 'text' }) htmlUrl: string;
  @Column({ name: 'owner_login', type: 'varchar', length: 100, nullable: true }) ownerLogin: string | null;
  /** GITHUB_API_URL when the App was created: an App of another GitHub (a changed setting) is not used. */
  @Column({ name: 'api_url', type: 'text' }) apiUrl: string;
  @Sealed('private_key') @Column({ name: 'sealed_private_key', type: 'text' }) sealedPrivateKey: string;
  @Sealed('client_secret') @Column({ name: 'sealed_client_secret', type: 'text' }) sealedClientSecret: string;
  @Sealed('webhook_secret') @Column({ name: 'sealed_webhook_secret', type: 'text', nullable: true }) sealedWebhookSecret: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
