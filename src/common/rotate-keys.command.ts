import { DataSource } from 'typeorm';
import { loadConfig } from '../config/hub-config';
import { dataSourceOptions } from '../database/data-source-options';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { loadKeyRing } from './encryption-keys';
import { createLogger } from './logger';
import { rotateSealedColumns } from './rotate-keys';
import { sealedColumns } from './sealed-column';

/** `rotate-keys`: re-seals every `@Sealed` entity column with the first key of ENCRYPTION_KEYS. */
export async function runRotateKeys(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const config = loadConfig(env);
  const keyRing = loadKeyRing(config, createLogger(config.logLevel));
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  // Loading every entity (the data source's glob) is what makes each module's sealed columns known.
  const dataSource = new DataSource({ ...dataSourceOptions(config.databaseUrl ?? (embedded?.url as string), { embedded: !!embedded, migrationsRun: false }), extra: { max: 1 } });
  try {
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const reports = await rotateSealedColumns(runner, keyRing, sealedColumns(dataSource));
      for (const r of reports) out(`${r.table}.${r.column}: ${r.resealed} re-sealed with key '${keyRing.currentKeyId}', ${r.alreadyCurrent} already current`);
    } finally {
      await runner.release();
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}
