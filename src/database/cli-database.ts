import { Pool } from 'pg';
import { ConfigError, HubConfig } from '../config/hub-config';
import { askRunningHub } from './control-socket';
import { embeddedDatabaseExists, embeddedDatabaseHolder, startEmbeddedPostgres } from './embedded-postgres';

type Print = (line: string) => void;

/**
 * Runs a CLI command against the hub's database, respecting who owns it:
 * - PostgreSQL (DATABASE_URL): a pool of its own, beside any running hub;
 * - embedded, a hub running on DATA_DIR: the running hub runs the command (`controlCommand` over the control socket),
 *   so the data directory is never opened twice;
 * - embedded, nothing running: the command takes DATA_DIR's lock and opens the database itself.
 */
export async function withCliDatabase(
  config: HubConfig,
  out: Print,
  controlCommand: { name: string; args: string[] },
  run: (pool: Pool) => Promise<number>,
): Promise<number> {
  if (config.databaseUrl) {
    const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
    try {
      return await run(pool);
    } finally {
      await pool.end();
    }
  }
  const holder = embeddedDatabaseHolder(config.dataDir);
  if (holder !== null) {
    const answer = await askRunningHub(config.dataDir, holder, controlCommand.name, controlCommand.args);
    const text = answer.payload.toString('utf8');
    for (const line of text.split('\n')) if (line) out(line);
    return answer.exitCode;
  }
  if (!embeddedDatabaseExists(config.dataDir)) {
    throw new ConfigError([`DATA_DIR: no embedded database in ${config.dataDir}`], 'Start the hub once (it creates the database), or point DATA_DIR at the right directory.');
  }
  const embedded = await startEmbeddedPostgres(config.dataDir);
  const pool = new Pool({ connectionString: embedded.url, max: 1 });
  try {
    return await run(pool);
  } finally {
    await pool.end();
    await embedded.stop();
  }
}

/** Collects printed lines into the payload a control-socket answer carries. */
export async function captured(run: (out: Print) => Promise<number>): Promise<{ exitCode: number; payload: Buffer }> {
  const lines: string[] = [];
  const exitCode = await run((line) => lines.push(line));
  return { exitCode, payload: Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8') };
}
