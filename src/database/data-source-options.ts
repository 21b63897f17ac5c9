import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { TypeOrmJsonLogger } from './typeorm-logger';

/** Entities and migrations are discovered by file name so every module contributes its own. */
export function dataSourceOptions(url: string, opts: { embedded: boolean; migrationsRun: boolean }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    uuidExtension: 'pgcrypto',
    entities: [join(__dirname, '..', '**', '*.entity.{js,ts}')],
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsRun: opts.migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn'],
    logger: new TypeOrmJsonLogger(),
    // PGlite serves one connection at a time.
    extra: opts.embedded ? { max: 1 } : { max: 10, connectionTimeoutMillis: 5000 },
  };
}
