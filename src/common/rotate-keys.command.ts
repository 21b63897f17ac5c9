import { Pool } from 'pg';
import { loadConfig } from '../config/hub-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { loadKeyRing } from './encryption-keys';
import { createLogger } from './logger';
import { rotateSealedColumns } from './rotate-keys';
import { declaredSealedColumns } from './sealed-column';

/** `rotate-keys`: re-seals every `@Sealed` entity column with the first key of ENCRYPTION_KEYS. */
export async function runRotateKeys(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const config = loadConfig(env);
  const keyRing = loadKeyRing(config, createLogger(config.logLevel, config.logFormat));
  const columns = await declaredSealedColumns();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const pool = new Pool({ connectionString: config.databaseUrl ?? embedded?.url, max: 1 });
  try {
    const reports = await rotateSealedColumns(pool, keyRing, columns);
    for (const r of reports) out(`${r.table}.${r.column}: ${r.resealed} re-sealed with key '${keyRing.currentKeyId}', ${r.alreadyCurrent} already current`);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
