import type { Pool } from 'pg';
import type { SealedColumn } from './sealed-columns';
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
export async function rotateSealedColumns(pool: Pool, keyRing: KeyRing, columns: readonly SealedColumn[]): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  for (const col of columns) {
    const report: RotationReport = { table: col.table, column: col.column, resealed: 0, alreadyCurrent: 0 };
    for await (const rows of sealedRows(pool, col)) {
      for (const row of rows) {
        if (keyRing.keyIdOf(row.v) === keyRing.currentKeyId) {
          report.alreadyCurrent++;
          continue;
        }
        const ctx = col.context(row.k);
        const resealed = keyRing.seal(keyRing.open(row.v, ctx), ctx);
        const res = await pool.query(`UPDATE "${col.table}" SET "${col.column}" = $1 WHERE "${col.keyColumn}"::text = $2 AND "${col.column}" = $3`, [resealed, row.k, row.v]);
        report.resealed += res.rowCount ?? 0;
      }
    }
    reports.push(report);
  }
  return reports;
}

/** A column's sealed values in batches, ordered by row key (`k`: the row key as text, `v`: the sealed value). */
export async function* sealedRows(pool: Pool, col: SealedColumn): AsyncGenerator<Array<{ k: string; v: string }>> {
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ k: string; v: string }>(
      `SELECT "${col.keyColumn}"::text AS k, "${col.column}" AS v FROM "${col.table}"
        WHERE "${col.column}" IS NOT NULL AND "${col.keyColumn}"::text > $1 ORDER BY "${col.keyColumn}"::text LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length > 0) yield rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].k;
  }
}

export interface SealedColumnCheck {
  table: string;
  column: string;
  opened: number;
  /** Values the ring cannot open, with the first reason. */
  failed: number;
  firstError?: string;
}

/** Opens every sealed value with the ring (without changing any): do these keys read everything stored? */
export async function checkSealedColumns(pool: Pool, keyRing: KeyRing, columns: readonly SealedColumn[]): Promise<SealedColumnCheck[]> {
  const checks: SealedColumnCheck[] = [];
  for (const col of columns) {
    const check: SealedColumnCheck = { table: col.table, column: col.column, opened: 0, failed: 0 };
    for await (const rows of sealedRows(pool, col)) {
      for (const row of rows) {
        try {
          keyRing.open(row.v, col.context(row.k));
          check.opened++;
        } catch (err) {
          check.failed++;
          check.firstError ??= (err as Error).message;
        }
      }
    }
    checks.push(check);
  }
  return checks;
}
