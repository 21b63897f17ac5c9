import type { DataSource } from 'typeorm';

/** Any fixed 64-bit key; every hub process takes the same one. */
const MIGRATIONS_LOCK_KEY = 7_263_518_094_117;

/**
 * Runs the committed migrations under a PostgreSQL session advisory lock: replicas starting together on an empty
 * database take turns, and the second one finds nothing left to run (instead of failing on the first one's
 * tables and relying on TypeORM's connection retry). PGlite serves a single connection and a single process, so
 * the embedded database runs them directly.
 */
export async function runMigrationsLocked(dataSource: DataSource, embedded: boolean): Promise<void> {
  if (embedded) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}
