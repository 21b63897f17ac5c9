import type { SealContext } from './sealed-secrets';

/** A database column holding sealed values; `rotate-keys` re-seals every registered one. */
export interface SealedColumn {
  table: string;
  /** The column that identifies a row (unique). */
  keyColumn: string;
  column: string;
  /** The seal context a row's value is bound to, from its key. */
  context(rowKey: string): SealContext;
}

const registry: SealedColumn[] = [];

/** Modules register their sealed columns from a `*.sealed-columns.ts` file listed in src/sealed-columns.manifest.ts. */
export function registerSealedColumn(column: SealedColumn): void {
  if (!registry.some((c) => c.table === column.table && c.column === column.column)) registry.push(column);
}

export function sealedColumns(): readonly SealedColumn[] {
  return registry;
}
