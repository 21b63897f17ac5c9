import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/hub-config';
import { askRunningHub } from './control-socket';
import { acquireDataDirLock, embeddedDatabaseExists, embeddedDatabaseHolder, restrictDataDir, startEmbeddedPostgres } from './embedded-postgres';

type Print = (line: string) => void;

const POSTGRES_BACKUP =
  'DATABASE_URL is set: back up PostgreSQL with its own tools, e.g. `pg_dump --format=custom --file=hub.dump "$DATABASE_URL"` ' +
  'and restore with `pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" hub.dump` (see the README, "Backups"); keep ENCRYPTION_KEYS with it.';

function keyRingNote(dataDir: string, env: NodeJS.ProcessEnv): string {
  return env.ENCRYPTION_KEYS
    ? 'The stored secrets are sealed with ENCRYPTION_KEYS: keep that value with the backup (it is not in the file).'
    : `The stored secrets are sealed with the key generated in ${join(resolve(dataDir), 'encryption-keys')}: copy that file with the backup (it is not in the file).`;
}

/**
 * `backup <file>`: a gzip tar of the embedded database. While a hub runs on DATA_DIR it takes the copy itself (online:
 * statements wait a moment while the data directory is read, after a checkpoint); otherwise this command opens the
 * database under DATA_DIR's lock.
 */
export async function runBackup(args: string[], env: NodeJS.ProcessEnv, out: Print): Promise<number> {
  const file = args[0];
  if (!file) {
    out('Usage: npm run cli -- backup <file>');
    return 2;
  }
  const config = loadConfig(env);
  if (config.databaseUrl) {
    out(POSTGRES_BACKUP);
    return 2;
  }
  if (!embeddedDatabaseExists(config.dataDir)) {
    throw new ConfigError([`DATA_DIR: no embedded database in ${resolve(config.dataDir)}`], 'Point DATA_DIR at the hub\'s data directory.');
  }
  const holder = embeddedDatabaseHolder(config.dataDir);
  let bytes: Buffer;
  if (holder !== null) {
    bytes = (await askRunningHub(config.dataDir, holder, 'backup')).payload;
    out(`backup taken by the running hub (pid ${holder})`);
  } else {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    try {
      bytes = await embedded.dump();
    } finally {
      await embedded.stop();
    }
  }
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes, { mode: 0o600 });
  renameSync(partial, file);
  out(`wrote ${resolve(file)} (${bytes.length} bytes)`);
  out(keyRingNote(config.dataDir, env));
  return 0;
}

/** Loads a backup into an empty `dir`; on failure `dir` is removed again, so no half-restored database is left. */
async function loadBackup(file: string, dir: string, out: Print): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(file)]) });
    try {
      const users = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      out(`restored ${resolve(file)} into ${dir}: ${users.rows[0]?.n ?? 0} user(s)`);
    } finally {
      await db.close();
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new ConfigError([`restore: ${resolve(file)} could not be loaded (${(err as Error).message})`], 'Check that the file is a backup written by `npm run cli -- backup`.');
  }
}

/**
 * `restore <file> [--force]`: replaces DATA_DIR's embedded database with a backup. The hub must be stopped (a short
 * pause: stop, restore, start); an existing database is kept aside as `pglite.before-restore-<time>` with --force and
 * refused without it.
 */
export async function runRestore(args: string[], env: NodeJS.ProcessEnv, out: Print): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  const force = args.includes('--force');
  if (!file) {
    out('Usage: npm run cli -- restore <file> [--force]');
    return 2;
  }
  const config = loadConfig(env);
  if (config.databaseUrl) {
    out(POSTGRES_BACKUP);
    return 2;
  }
  if (!existsSync(file)) throw new ConfigError([`restore: ${resolve(file)} does not exist`], 'Give the path of a file written by `npm run cli -- backup`.');
  const holder = embeddedDatabaseHolder(config.dataDir);
  if (holder !== null) {
    throw new ConfigError(
      [`DATA_DIR: ${resolve(config.dataDir)} is in use by the running hub (pid ${holder}); restore replaces its database`],
      'Stop the hub, run restore, start the hub again.',
    );
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const release = acquireDataDirLock(config.dataDir);
  const dir = join(resolve(config.dataDir), 'pglite');
  let aside: string | null = null;
  try {
    restrictDataDir(config.dataDir);
    if (embeddedDatabaseExists(config.dataDir)) {
      if (!force) {
        throw new ConfigError([`DATA_DIR: ${resolve(config.dataDir)} already holds a database`], 'Restore into an empty DATA_DIR, or add --force to keep the current one aside and replace it.');
      }
      aside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dir, aside);
    }
    await loadBackup(file, dir, out);
    // The backup's files are written with the modes stored in it: tighten them.
    restrictDataDir(config.dataDir);
  } catch (err) {
    if (aside) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(aside, dir);
    }
    throw err;
  } finally {
    release();
  }
  if (aside) out(`the previous database is kept in ${aside}`);
  out(keyRingNote(config.dataDir, env));
  return 0;
}
