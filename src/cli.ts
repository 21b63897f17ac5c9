import { Pool } from 'pg';
import { loadKeyRing } from './common/encryption-keys';
import { createLogger } from './common/logger';
import { rotateSealedColumns } from './common/rotate-keys';
import { sealedColumns } from './common/sealed-columns';
import { ConfigError, loadConfig } from './config/hub-config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import './sealed-columns.manifest';

const USAGE = 'usage: npm run cli -- rotate-keys';

/** `npm run cli -- <command>`: maintenance commands that run against the configured database. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  if (args[0] !== 'rotate-keys') {
    out(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const keyRing = loadKeyRing(config, logger);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const pool = new Pool({ connectionString: config.databaseUrl ?? embedded?.url, max: 1 });
  try {
    const reports = await rotateSealedColumns(pool, keyRing, sealedColumns());
    for (const r of reports) out(`${r.table}.${r.column}: ${r.resealed} re-sealed with key '${keyRing.currentKeyId}', ${r.alreadyCurrent} already current`);
    return 0;
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `rotate-keys failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
