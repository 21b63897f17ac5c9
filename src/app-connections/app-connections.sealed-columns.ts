/** One sealed column: the key ring's seal context is `{table, rowId: <idColumn value>, field}`. */
export interface SealedColumn {
  table: string;
  idColumn: string;
  sealedColumn: string;
  field: string;
}

/** Every sealed column this module owns, for `rotate-keys` to re-seal with the current key. */
export const APP_CONNECTIONS_SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'app_connections', idColumn: 'id', sealedColumn: 'sealed_credentials', field: 'credentials' },
  { table: 'server_secrets', idColumn: 'name', sealedColumn: 'sealed_value', field: 'value' },
];
