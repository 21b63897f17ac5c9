import type { Pool } from 'pg';
import { loadConfig } from '../config/hub-config';
import { withCliDatabase } from '../database/cli-database';
import { loadKeyRing } from './encryption-keys';
import { createLogger } from './logger';
import { rotateSealedColumns } from './rotate-keys';
import { declaredSealedColumns } from './sealed-column';
import type { KeyRing } from './sealed-secrets';

/**
 * `rotate-keys`: re-seals every `@Sealed` entity column with the first key of ENCRYPTION_KEYS. On the embedded
 * database with a hub running, the hub does it with its own key ring (the data directory is never opened twice).
 */
export async function runRotateKeys(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const config = loadConfig(env);
  return withCliDatabase(config, out, { name: 'rotate-keys', args: [] }, (pool) => rotateKeys(pool, loadKeyRing(config, createLogger(config.logLevel, config.logFormat)), out));
}

export async function rotateKeys(pool: Pool, keyRing: KeyRing, out: (line: string) => void): Promise<number> {
  const columns = await declaredSealedColumns();
  const reports = await rotateSealedColumns(pool, keyRing, columns);
  for (const r of reports) out(`${r.table}.${r.column}: ${r.resealed} re-sealed with key '${keyRing.currentKeyId}', ${r.alreadyCurrent} already current`);
  return 0;
}
