import { Pool } from 'pg';
import { loadConfig } from '../config/hub-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import '../sealed-columns.manifest';
import { loadKeyRing } from './encryption-keys';
import { createLogger } from './logger';
import { rotateSealedColumns } from './rotate-keys';
import { sealedColumns } from './sealed-columns';

/** `rotate-keys`: re-seals every registered sealed column with the first key of ENCRYPTION_KEYS. */
export async function runRotateKeys(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const config = loadConfig(env);
  const keyRing = loadKeyRing(config, createLogger(config.logLevel));
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const pool = new Pool({ connectionString: config.databaseUrl ?? embedded?.url, max: 1 });
  try {
    const reports = await rotateSealedColumns(pool, keyRing, sealedColumns());
    for (const r of reports) out(`${r.table}.${r.column}: ${r.resealed} re-sealed with key '${keyRing.currentKeyId}', ${r.alreadyCurrent} already current`);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
