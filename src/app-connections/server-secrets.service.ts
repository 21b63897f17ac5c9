import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { KeyRing } from '../common/sealed-secrets';
import { ServerSecretEntity } from './server-secret.entity';
import { sealContextOf } from '../common/sealed-column';

const serverSecretSealContext = (name: string) => sealContextOf(ServerSecretEntity, 'sealedValue', name);

/** Random server keys generated once and kept sealed; every replica reads the same value. */
@Injectable()
export class ServerSecretsService {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    @InjectRepository(ServerSecretEntity) private readonly secrets: Repository<ServerSecretEntity>,
    private readonly keyRing: KeyRing,
  ) {}

  /** The 32-byte key named `name`, created on first use (concurrent first uses agree on one value). */
  async key(name: string): Promise<Buffer> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const fresh = randomBytes(32).toString('base64');
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ name, sealedValue: this.keyRing.seal(fresh, serverSecretSealContext(name)) })
      .orIgnore()
      .execute();
    const row = await this.secrets.findOneByOrFail({ name });
    const value = Buffer.from(this.keyRing.open(row.sealedValue, serverSecretSealContext(name)), 'base64');
    this.cache.set(name, value);
    return value;
  }
}
