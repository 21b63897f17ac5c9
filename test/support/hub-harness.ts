import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { createHub, Hub } from '../../src/bootstrap';
import { KeyRing } from '../../src/common/sealed-secrets';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestHub {
  hub: Hub;
  url: string;
  /** The bootstrap owner's all-scope key. */
  key: string;
  organizationId: string;
  projectId: string;
  userId: string;
  /** Direct access to the hub's database, for asserting side effects. */
  db: Pool;
  env: Record<string, string>;
  databaseName: string;
  close(): Promise<void>;
}

export interface TestHubOptions {
  env?: Record<string, string>;
  /** Use Redis (Bull) for the queue and shared limits; default true. */
  redis?: boolean;
  /** Reuse an existing database instead of creating one (multi-process tests). */
  databaseName?: string;
  queuePrefix?: string;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A pool for assertions in tests. Its idle clients are terminated when a test database is dropped (WITH FORCE);
 * a pool without an 'error' listener would turn that into an unhandled error in whatever test runs next.
 */
export function testPool(connectionString: string, max = 2): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', (err: Error & { code?: string }) => {
    // 57P01: terminated by DROP DATABASE ... WITH (FORCE) at the end of a test file; anything else is reported.
    if (err.code !== '57P01') console.error('test pool error', err);
  });
  return pool;
}

/** Creates an empty database on the test server; dropped again by `dropDatabase`. */
export async function createDatabase(): Promise<string> {
  const name = `hub_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = testPool(TEST_DATABASE_URL, 1);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = testPool(TEST_DATABASE_URL, 1);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every Redis key under a prefix (queues, caches, limits of one test file). */
export async function clearRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function testEnv(databaseName: string, queuePrefix: string, opts: TestHubOptions = {}): Record<string, string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-test-'));
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: withDatabase(TEST_DATABASE_URL, databaseName),
    ...(opts.redis === false ? {} : { REDIS_URL: TEST_REDIS_URL }),
    QUEUE_PREFIX: queuePrefix,
    ENCRYPTION_KEYS: KeyRing.generateSpec('test1'),
    BOOTSTRAP_API_KEY: `ihk_${randomBytes(32).toString('base64url')}`,
    BOOTSTRAP_EMAIL: 'owner@example.test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOUND_ALLOW_PRIVATE: 'true',
    AUTH_FAILURE_LIMIT: '100000',
    SITE_URL: 'http://hub.example.test',
    METRICS_TOKEN: `mt_${randomBytes(16).toString('hex')}`,
    ...opts.env,
  };
}

/** Boots the real hub (the same `createHub` as main.ts) on its own database and queue prefix. */
export async function startTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const ownsDatabase = !opts.databaseName;
  const databaseName = opts.databaseName ?? (await createDatabase());
  const queuePrefix = opts.queuePrefix ?? `t${randomBytes(5).toString('hex')}`;
  const env = testEnv(databaseName, queuePrefix, opts);
  let hub: Hub;
  try {
    hub = await createHub(env);
  } catch (err) {
    if (ownsDatabase) await dropDatabase(databaseName);
    throw err;
  }
  const db = testPool(env.DATABASE_URL, 2);
  const bootstrap = hub.bootstrap;
  const ids = bootstrap
    ? bootstrap
    : (await db.query(`SELECT m.organization_id AS "organizationId", p.id AS "projectId", m.user_id AS "userId"
         FROM memberships m JOIN projects p ON p.organization_id = m.organization_id ORDER BY m.created_at LIMIT 1`)).rows[0];
  return {
    hub,
    url: hub.url,
    key: env.BOOTSTRAP_API_KEY,
    organizationId: ids.organizationId,
    projectId: ids.projectId,
    userId: ids.userId,
    db,
    env,
    databaseName,
    async close() {
      await hub.close();
      await db.end();
      if (ownsDatabase) await dropDatabase(databaseName);
      if (opts.redis !== false) await clearRedisPrefix(queuePrefix);
      rmSync(env.DATA_DIR, { recursive: true, force: true });
    },
  };
}
