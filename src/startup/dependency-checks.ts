import Redis from 'ioredis';
import { Client } from 'pg';
import { envExample } from '../config/env-examples';

/** Why a dependency could not be used, and whether waiting can change that. */
export interface ProbeFailure {
  reason: string;
  retryable: boolean;
  /** What the operator should check; the final line of the start-up error. */
  advice: string;
}

/** A service the hub needs before it starts (PostgreSQL, Redis), probed once per call. */
export interface Dependency {
  /** The variable that points at it, named in every message. */
  variable: 'DATABASE_URL' | 'REDIS_URL';
  what: string;
  /** host:port, never credentials. */
  target: string;
  probe(timeoutMs: number): Promise<ProbeFailure | null>;
}

/** Network conditions that a starting or restarting server clears by itself. */
const TRANSIENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'name lookup failed temporarily',
};

/** host:port of a URL, for messages (credentials stay out). */
export function targetOf(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return 'an unparseable URL';
  }
}

function networkFailure(err: NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] }, variable: string, what: string, timeoutMs: number): ProbeFailure | null {
  const code = err.code ?? err.errors?.[0]?.code;
  const check = `Check that ${what} is running and reachable from this host, and that ${variable} points at it (for example ${variable}=${envExample(variable)}).`;
  if (code && TRANSIENT[code]) return { reason: `${TRANSIENT[code]} (${code})`, retryable: true, advice: check };
  if (code === 'ENOTFOUND') return { reason: `host name not found (ENOTFOUND)`, retryable: false, advice: `Correct the host name in ${variable} (for example ${variable}=${envExample(variable)}).` };
  if (/timeout/i.test(err.message)) return { reason: `no answer within ${timeoutMs / 1000} s`, retryable: true, advice: check };
  if (/terminated unexpectedly|Connection is closed/i.test(err.message)) return { reason: 'connection closed by the server or the network', retryable: true, advice: check };
  return null;
}

export function postgresDependency(url: string): Dependency {
  const variable = 'DATABASE_URL';
  const what = 'PostgreSQL';
  const database = databaseName(url);
  return {
    variable,
    what,
    target: targetOf(url, 5432),
    async probe(timeoutMs) {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return null;
      } catch (err) {
        return postgresFailure(err as NodeJS.ErrnoException, database, timeoutMs);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  } catch {
    return 'postgres';
  }
}

function postgresFailure(err: NodeJS.ErrnoException, database: string, timeoutMs: number): ProbeFailure {
  const fixUrl = `Correct DATABASE_URL (for example DATABASE_URL=${envExample('DATABASE_URL')}).`;
  switch (err.code) {
    case '3D000':
      return {
        reason: `database "${database}" does not exist`,
        retryable: false,
        advice: `Create it (createdb "${database}", or CREATE DATABASE "${database}" in psql) or put an existing database in DATABASE_URL.`,
      };
    case '28P01':
    case '28000':
      return { reason: `login refused (${err.message})`, retryable: false, advice: `Check the user name and password in DATABASE_URL and the server's pg_hba.conf. ${fixUrl}` };
    case '57P03':
    case '53300':
      return { reason: err.message, retryable: true, advice: 'Check that PostgreSQL finished starting and has connection slots free.' };
  }
  const network = networkFailure(err, 'DATABASE_URL', 'PostgreSQL', timeoutMs);
  if (network) return network;
  if (/SSL/i.test(err.message)) return { reason: `TLS failed (${err.message})`, retryable: false, advice: `Match sslmode in DATABASE_URL to the server (sslmode=disable or sslmode=require).` };
  return { reason: err.message, retryable: false, advice: fixUrl };
}

export function redisDependency(url: string): Dependency {
  const variable = 'REDIS_URL';
  const what = 'Redis';
  return {
    variable,
    what,
    target: targetOf(url, 6379),
    async probe(timeoutMs) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
      // ioredis reports the cause on the error event and rejects connect() with "Connection is closed".
      let cause: Error | undefined;
      client.on('error', (err: Error) => (cause ??= err));
      try {
        await client.connect();
        await client.ping();
        return null;
      } catch (err) {
        const e = (cause ?? err) as NodeJS.ErrnoException;
        if (/NOAUTH|WRONGPASS|invalid password|AUTH/i.test(e.message)) {
          return { reason: `login refused (${e.message})`, retryable: false, advice: `Check the password (and user) in REDIS_URL (for example REDIS_URL=redis://:password@redis:6379).` };
        }
        return networkFailure(e, variable, what, timeoutMs) ?? { reason: e.message, retryable: false, advice: `Correct REDIS_URL (for example REDIS_URL=${envExample(variable)}).` };
      } finally {
        client.disconnect();
      }
    },
  };
}
