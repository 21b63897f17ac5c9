import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { ProjectEntity } from '../organizations/project.entity';
import { AppConnectionApp, AppConnectionMethod } from './app-connection.enums';

/**
 * A named credential record for an app. The credentials ({installationId, instanceType, host} for GitHub) are
 * sealed in `sealed_credentials`, bound to this table, row and field; `credentials_hash` is their HMAC.
 */
@Entity('app_connections')
// Names are unique per organization and project; organization-level rows have no project.
@Index('UQ_app_connections_project_name', ['organizationId', 'projectId', 'name'], { unique: true, where: '"project_id" IS NOT NULL' })
@Index('UQ_app_connections_org_name', ['organizationId', 'name'], { unique: true, where: '"project_id" IS NULL' })
export class AppConnectionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
  @Column({ name: 'project_id', type: 'uuid', nullable: true }) projectId: string | null;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity | null;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 256, nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 32 }) app: AppConnectionApp;
  @Column({ type: 'varchar', length: 32 }) method: AppConnectionMethod;
  /** Starts at 1; +1 on every change. */
  @Column({ type: 'integer', default: 1 }) version: number;
  @Column({ name: 'is_platform_managed_credentials', type: 'boolean', default: false }) isPlatformManagedCredentials: boolean;
  /** A gateway configured on the hub (GATEWAYS); its proxy carries this connection's outbound calls. */
  @Column({ name: 'gateway_id', type: 'uuid', nullable: true }) gatewayId: string | null;
  @Column({ name: 'credentials_hash', type: 'varchar', length: 64 }) credentialsHash: string;
  @Column({ name: 'sealed_credentials', type: 'text' }) sealedCredentials: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
