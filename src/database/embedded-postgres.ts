import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config/hub-config';

/** A PGlite database in DATA_DIR served on a loopback port, so TypeORM's `pg` driver is the only code path. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL settings for one laptop process instead of PGlite's server defaults. `shared_buffers` is the
 * figure that counts: PGlite's 128 MB buffer pool is allocated inside the process's WASM memory, which never
 * shrinks. The hub's working set (keys, memberships, integrations) fits in 16 MB many times over.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Record<string, string> = {
  shared_buffers: '16MB',
  temp_buffers: '2MB',
  wal_buffers: '1MB',
  max_connections: '5',
  maintenance_work_mem: '16MB',
};

function settingParams(): string[] {
  return Object.entries(EMBEDDED_POSTGRES_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/**
 * A first start creates the cluster with initdb, which in PGlite runs a second WASM PostgreSQL and copies its
 * data directory; the hundreds of MB that takes are never returned to the OS. Running it in a short-lived child
 * process keeps that out of the hub.
 */
async function initDataDirInChild(dir: string): Promise<void> {
  const script = `import(process.argv[1]).then(async ({ PGlite }) => {
      const db = await PGlite.create(process.argv[2], { startParams: [...PGlite.defaultStartParams, ...JSON.parse(process.argv[3])] });
      await db.close();
    })
    .catch((err) => { process.stderr.write(String(err && err.message || err)); process.exit(1); });`;
  const entry = require.resolve('@electric-sql/pglite');
  try {
    await promisify(execFile)(process.execPath, ['-e', script, entry, dir, JSON.stringify(settingParams())], { timeout: 120_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new ConfigError([`DATA_DIR: could not create the embedded database in ${dir} (${stderr || (err as Error).message})`], 'Check that DATA_DIR is writable and the disk has space.');
  }
}

const WRITABLE = 'Point DATA_DIR at a directory this process can write (for example DATA_DIR=./.data).';

/** One hub per DATA_DIR: two PGlite instances on one data directory corrupt it. */
function acquireLock(dataDir: string): () => void {
  const file = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already removed
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError([`DATA_DIR: cannot write ${file} (${(err as NodeJS.ErrnoException).code})`], WRITABLE);
      const pid = embeddedDatabaseHolder(dataDir);
      if (pid !== null) {
        throw new ConfigError(
          [`DATA_DIR: ${resolve(dataDir)} is in use by another Integrations Hub process (pid ${pid})`],
          'Stop that process, or give this one its own DATA_DIR (for example DATA_DIR=./.data-2).',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new ConfigError([`DATA_DIR: could not lock ${file}`], WRITABLE);
}

/** The pid of another live process holding DATA_DIR's embedded database, else null. */
export function embeddedDatabaseHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'pglite.lock'), 'utf8').trim());
  } catch {
    return null;
  }
  return pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Whether DATA_DIR holds an embedded database already (a first start creates it). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(resolve(dataDir), 'pglite', 'PG_VERSION'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(join(dataDir, 'pglite'));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ConfigError([`DATA_DIR: cannot create ${dir} (${(err as NodeJS.ErrnoException).code})`], WRITABLE);
  }
  const release = acquireLock(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    if (!existsSync(join(dir, 'PG_VERSION'))) await initDataDirInChild(dir);
    const db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, ...settingParams()] });
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 1 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    return {
      url,
      async stop() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
