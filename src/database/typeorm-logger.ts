import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerContract, QueryRunner } from 'typeorm';

/**
 * TypeORM's failing-query and error lines, through the hub's JSON logger. Parameters are never written (they
 * carry tokens, emails and sealed values); their count is, with the SQL text and the driver's error.
 */
export class TypeOrmJsonLogger implements TypeOrmLoggerContract {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Successful queries are not logged.
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    const message = typeof error === 'string' ? error : error.message;
    const code = typeof error === 'object' ? (error as Error & { code?: string }).code : undefined;
    this.logger.warn(`query failed${code ? ` (${code})` : ''}: ${message} -- ${truncate(query)} -- ${parameters?.length ?? 0} parameters (redacted)`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${truncate(query)}`);
  }

  // Schema, migration and entity-loading lines are wiring: at debug, like Nest's, so a normal start stays quiet.
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

function truncate(sql: string): string {
  return sql.length > 500 ? `${sql.slice(0, 500)}…` : sql;
}
