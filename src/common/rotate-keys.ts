import type { QueryRunner } from 'typeorm';
import type { SealedColumn } from './sealed-column';
import type { KeyRing } from './sealed-secrets';

const BATCH = 500;

export interface RotationReport {
  table: string;
  column: string;
  resealed: number;
  alreadyCurrent: number;
}

/**
 * Re-seals every value not sealed with the ring's current key. Each row is updated only if its value is
 * unchanged since it was read, so a concurrent write is never overwritten with a stale secret.
 */
export async function rotateSealedColumns(runner: QueryRunner, keyRing: KeyRing, columns: readonly SealedColumn[]): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  for (const col of columns) {
    const report: RotationReport = { table: col.table, column: col.column, resealed: 0, alreadyCurrent: 0 };
    let after = '';
    for (;;) {
      const rows: Array<{ k: string; v: string }> = await runner.query(
        `SELECT "${col.keyColumn}"::text AS k, "${col.column}" AS v FROM "${col.table}"
          WHERE "${col.column}" IS NOT NULL AND "${col.keyColumn}"::text > $1 ORDER BY "${col.keyColumn}"::text LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        if (keyRing.keyIdOf(row.v) === keyRing.currentKeyId) {
          report.alreadyCurrent++;
          continue;
        }
        const ctx = col.context(row.k);
        const resealed = keyRing.seal(keyRing.open(row.v, ctx), ctx);
        const res = await runner.query(`UPDATE "${col.table}" SET "${col.column}" = $1 WHERE "${col.keyColumn}"::text = $2 AND "${col.column}" = $3`, [resealed, row.k, row.v], true);
        report.resealed += res.affected ?? 0;
      }
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].k;
    }
    reports.push(report);
  }
  return reports;
}
