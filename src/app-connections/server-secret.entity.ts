import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Sealed } from '../common/sealed-column';

/**
 * Server-wide secrets generated once (e.g. the credentials-hash key), sealed like every other secret: re-sealing
 * on key rotation changes the blob, never the value.
 */
@Entity('server_secrets')
export class ServerSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  @Sealed('value') @Column({ name: 'sealed_value', type: 'text' }) sealedValue: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
