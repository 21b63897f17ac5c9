import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import type { SealContext } from './sealed-secrets';

/** Entity class → property → the seal context's `field` for that column. */
const declared = new Map<object, Map<string, string>>();

/**
 * Declares that an entity column holds sealed values (AES-GCM, bound to table, row and `field`). `rotate-keys`
 * finds every such column through the TypeORM metadata, and the seal context comes from here, so the entity is
 * the one place a sealed column is declared.
 */
export function Sealed(field: string): PropertyDecorator {
  return (target, property) => {
    const entity = target.constructor;
    const fields = declared.get(entity) ?? new Map<string, string>();
    fields.set(String(property), field);
    declared.set(entity, fields);
  };
}

function sealedField(entity: object, property: string): string | undefined {
  for (let c: unknown = entity; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const field = declared.get(c)?.get(property);
    if (field) return field;
  }
  return undefined;
}

/** The context a row's value in a `@Sealed` column is bound to. */
export function sealContextOf<T>(entity: new () => T, property: keyof T & string, rowId: string): SealContext {
  const field = sealedField(entity, property);
  if (!field) throw new Error(`${entity.name}.${property} is not declared @Sealed`);
  const table = getMetadataArgsStorage().tables.find((t) => t.target === entity)?.name;
  if (!table) throw new Error(`${entity.name} is not an entity with an explicit table name`);
  return { table, rowId, field };
}

/** A database column holding sealed values, as `rotate-keys` walks it. */
export interface SealedColumn {
  table: string;
  /** The column that identifies a row (the single primary key). */
  keyColumn: string;
  column: string;
  /** The seal context a row's value is bound to, from its key. */
  context(rowKey: string): SealContext;
}

/** Every `@Sealed` column of the data source's entities, ordered by table and column. */
export function sealedColumns(dataSource: DataSource): SealedColumn[] {
  const out: SealedColumn[] = [];
  for (const meta of dataSource.entityMetadatas) {
    for (const col of meta.columns) {
      const field = sealedField(meta.target as object, col.propertyName);
      if (!field) continue;
      if (meta.primaryColumns.length !== 1) throw new Error(`${meta.tableName}.${col.databaseName} is sealed but the table has no single-column primary key`);
      const table = meta.tableName;
      out.push({ table, keyColumn: meta.primaryColumns[0].databaseName, column: col.databaseName, context: (rowId) => ({ table, rowId, field }) });
    }
  }
  return out.sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column));
}

/**
 * The `@Sealed` columns of every entity the hub loads (the data source's entity glob), without connecting: for
 * commands that read sealed values over their own connection (rotate-keys, doctor).
 */
export async function declaredSealedColumns(): Promise<SealedColumn[]> {
  const dataSource = new DataSource(dataSourceOptions('postgres://metadata-only.invalid/none', { embedded: false, migrationsRun: false }));
  // Builds the entity metadata from the glob; opens no connection (DataSource.initialize would).
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return sealedColumns(dataSource);
}
