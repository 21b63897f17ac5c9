import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProxyRecordStatus } from './domain-connect.enums';

/** A customer domain that should CNAME to one of our reverse proxy targets. */
@Entity('proxy_records')
@Index(['organizationId', 'domain'], { unique: true })
export class ProxyRecordEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  /** ASCII (punycode) host name. */
  @Column({ type: 'varchar', length: 253 }) domain: string;
  @Column({ name: 'target_cname', type: 'varchar', length: 253 }) targetCname: string;
  @Column({ type: 'varchar', length: 16, default: ProxyRecordStatus.Waiting }) status: ProxyRecordStatus;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
