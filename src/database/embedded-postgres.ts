import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config/hub-config';

/** A PGlite database in DATA_DIR served on a loopback port, so TypeORM's `pg` driver is the only code path. */
export interface EmbeddedPostgres {
  url: string;
  /** A consistent copy of the data directory (gzip tar), taken between two statements after a checkpoint. */
  dump(): Promise<Buffer>;
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
const LOCK_FILE = 'pglite.lock';
const TAKEOVER_DIR = 'pglite.lock.takeover';

/**
 * A process's start time (clock ticks since boot, /proc/<pid>/stat field 22) where /proc exists: together with the
 * pid it names one process, so a lock left by a crashed hub whose pid was reused (pid 1 in a container) is stale.
 */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

interface LockHolder {
  pid: number;
  started: string | null;
}

function readLock(dataDir: string): LockHolder | null {
  try {
    const [pid, started] = readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim().split('\n');
    return { pid: Number(pid), started: started?.trim() || null };
  } catch {
    return null;
  }
}

/** Whether the lock's writer still runs: its pid is alive and (where known) started when the lock says. */
function holderAlive(holder: LockHolder): boolean {
  if (!(holder.pid > 0) || holder.pid === process.pid || !isAlive(holder.pid)) return false;
  if (!holder.started) return true;
  const now = processStartTime(holder.pid);
  return now === null || now === holder.started;
}

/**
 * One process per DATA_DIR (the hub and every CLI command alike): two PGlite instances on one data directory corrupt
 * it. The lock file holds the pid and start time; a lock whose process is gone (killed with -9, a crash) is taken
 * over, under a `mkdir` guard so two starting processes cannot both take over the same stale lock.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  const content = `${process.pid}\n${processStartTime(process.pid) ?? ''}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readLock(dataDir)?.pid === process.pid) unlinkSync(file);
        } catch {
          // already removed
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError([`DATA_DIR: cannot write ${file} (${(err as NodeJS.ErrnoException).code})`], WRITABLE);
      const pid = embeddedDatabaseHolder(dataDir);
      if (pid !== null) throw dataDirInUse(dataDir, pid);
      takeOverStaleLock(dataDir);
    }
  }
  throw new ConfigError([`DATA_DIR: could not lock ${file}`], WRITABLE);
}

function dataDirInUse(dataDir: string, pid: number): ConfigError {
  return new ConfigError(
    [`DATA_DIR: ${resolve(dataDir)} is in use by another Integrations Hub process (pid ${pid})`],
    'Stop that process, or give this one its own DATA_DIR (for example DATA_DIR=./.data-2).',
  );
}

function takeOverStaleLock(dataDir: string): void {
  const guard = join(dataDir, TAKEOVER_DIR);
  try {
    mkdirSync(guard);
  } catch {
    // Another process is taking over right now; a guard older than 10 s is itself left over from a crash.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) rmSync(guard, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    const holder = readLock(dataDir);
    if (holder && !holderAlive(holder)) rmSync(join(dataDir, LOCK_FILE), { force: true });
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

/** The pid of another live process holding DATA_DIR's embedded database, else null. */
export function embeddedDatabaseHolder(dataDir: string): number | null {
  const holder = readLock(dataDir);
  return holder && holderAlive(holder) ? holder.pid : null;
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

/**
 * DATA_DIR holds the database and perhaps the generated encryption key: only this user may read or write it. New
 * files are created without group/other bits (umask), and what an older version or a copy left readable is
 * tightened once at start. A directory this user does not own cannot be changed: it is left as it is.
 */
export function restrictDataDir(dataDir: string): void {
  process.umask(process.umask() | 0o077);
  const tighten = (path: string, depth: number): void => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return;
    if ((st.mode & 0o077) !== 0) {
      try {
        chmodSync(path, st.mode & 0o700);
      } catch {
        // not ours to change
      }
    }
    if (!st.isDirectory() || depth >= 8) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return; // removed meanwhile (PostgreSQL's temporary files come and go)
    }
    for (const name of names) tighten(join(path, name), depth + 1);
  };
  tighten(resolve(dataDir), 0);
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(join(dataDir, 'pglite'));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ConfigError([`DATA_DIR: cannot create ${dir} (${(err as NodeJS.ErrnoException).code})`], WRITABLE);
  }
  const release = acquireDataDirLock(dataDir);
  restrictDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    if (!existsSync(join(dir, 'PG_VERSION'))) await initDataDirInChild(dir);
    const db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, ...settingParams()] });
    // initdb copies its files in with explicit modes (0666, past the umask): tighten them now.
    restrictDataDir(dataDir);
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 1 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    return {
      url,
      async dump() {
        await db.exec('CHECKPOINT');
        const blob = await db.dumpDataDir('gzip');
        return Buffer.from(await blob.arrayBuffer());
      },
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
