import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KeyRing } from '../common/sealed-secrets';
import { APP_CONNECTIONS_SEALED_COLUMNS, SealedColumn } from './app-connections.sealed-columns';

/**
 * Re-seals this module's sealed columns with the current key (what `rotate-keys` does for every module).
 * Works from APP_CONNECTIONS_SEALED_COLUMNS only, so the constant is proven complete by the rotation test.
 */
@Injectable()
export class SealedColumnsResealService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
  ) {}

  /** Returns how many values were re-sealed. */
  async resealAll(columns: readonly SealedColumn[] = APP_CONNECTIONS_SEALED_COLUMNS): Promise<number> {
    let count = 0;
    for (const c of columns) {
      const rows: Array<{ id: string; sealed: string }> = await this.dataSource.query(`SELECT "${c.idColumn}"::text AS id, "${c.sealedColumn}" AS sealed FROM "${c.table}" WHERE "${c.sealedColumn}" IS NOT NULL`);
      for (const row of rows) {
        if (this.keyRing.keyIdOf(row.sealed) === this.keyRing.currentKeyId) continue;
        const ctx = { table: c.table, rowId: row.id, field: c.field };
        const resealed = this.keyRing.seal(this.keyRing.open(row.sealed, ctx), ctx);
        await this.dataSource.query(`UPDATE "${c.table}" SET "${c.sealedColumn}" = $1 WHERE "${c.idColumn}"::text = $2 AND "${c.sealedColumn}" = $3`, [resealed, row.id, row.sealed]);
        count++;
      }
    }
    return count;
  }
}
