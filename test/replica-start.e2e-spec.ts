import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KeyRing } from '../src/common/sealed-secrets';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migrations-lock';
import { http } from './support/http';
import { createDatabase, dropDatabase, startTestHub, TEST_DATABASE_URL, TestHub } from './support/hub-harness';

const urlOf = (name: string) => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Replicas starting together on an empty database: migrations take turns under an advisory lock. */
describe('replicas starting at once', () => {
  const databases: string[] = [];
  afterAll(async () => {
    for (const name of databases) await dropDatabase(name);
  });

  it('three data sources migrating one empty database at once all succeed, each migration applied once', async () => {
    const name = await createDatabase();
    databases.push(name);
    const sources = [0, 1, 2].map(() => new DataSource(dataSourceOptions(urlOf(name), { embedded: false, migrationsRun: false })));
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const results = await Promise.allSettled(sources.map((s) => runMigrationsLocked(s, false)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const applied = await sources[0].query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
      expect(applied.length).toBe(sources[0].migrations.length);
      expect(applied.every((m: { n: number }) => m.n === 1)).toBe(true);
    } finally {
      await Promise.all(sources.map((s) => (s.isInitialized ? s.destroy() : undefined)));
    }
  });

  it('three hubs started at once on an empty database all serve, without relying on connection retries', async () => {
    const name = await createDatabase();
    databases.push(name);
    const shared = { ENCRYPTION_KEYS: KeyRing.generateSpec('test1'), BOOTSTRAP_API_KEY: `ihk_${randomBytes(32).toString('base64url')}`, QUEUE: `t${randomBytes(5).toString('hex')}` };
    // TypeORM's module reports each retry through the Nest logger ("Unable to connect to the database. Retrying").
    const errors = jest.spyOn(Logger.prototype, 'error');
    let hubs: TestHub[];
    try {
      hubs = await Promise.all(
        [0, 1, 2].map(() => startTestHub({ databaseName: name, queuePrefix: shared.QUEUE, env: { ENCRYPTION_KEYS: shared.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: shared.BOOTSTRAP_API_KEY } })),
      );
    } finally {
      errors.mockRestore();
    }
    try {
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
      for (const hub of hubs) expect((await http(hub.url, 'GET', '/api/users/@me', { key: shared.BOOTSTRAP_API_KEY })).status).toBe(200);
      const orgs = await hubs[0].db.query('SELECT count(*)::int AS n FROM organizations');
      expect(orgs.rows[0].n).toBe(1);
    } finally {
      for (const hub of hubs) await hub.close();
    }
  });
});
