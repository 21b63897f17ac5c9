import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { checkSealedColumns } from '../common/rotate-keys';
import { sealedColumns } from '../common/sealed-column';
import { KeyRing } from '../common/sealed-secrets';

/**
 * At start-up every stored secret is opened once with the key ring. A ring that cannot open them (a restored backup
 * without its key, a key dropped from ENCRYPTION_KEYS) is logged at error level and keeps readiness failing, with the
 * columns named in `/api/readyz`, instead of surfacing later as one provider call after another failing.
 */
@Injectable()
export class StoredSecretsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('StoredSecrets');
  /** null: every stored secret opens. */
  problem: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const results = await checkSealedColumns(pool, this.keyRing, sealedColumns(this.dataSource));
    const failed = results.filter((r) => r.failed > 0);
    if (failed.length === 0) return;
    const total = failed.reduce((n, r) => n + r.failed, 0);
    this.problem =
      `${total} stored secret(s) cannot be opened with the configured encryption keys: ` +
      `${failed.map((r) => `${r.table}.${r.column} ${r.failed} (${r.firstError})`).join('; ')}`;
    this.logger.error(
      `${this.problem}. Readiness fails until it is fixed: add the key that sealed them to ENCRYPTION_KEYS (or restore DATA_DIR/encryption-keys with its database) and restart; \`npm run doctor\` checks a configuration.`,
    );
  }
}
