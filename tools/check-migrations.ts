import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';

/** Fails when the entities and the committed migrations disagree (a generated migration would not be empty). */
async function main(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `hub_migcheck_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions(url.toString(), { embedded: false, migrationsRun: false }));
  let pending: string[];
  try {
    await ds.initialize();
    const ran = await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    pending = sql.upQueries.map((q) => q.query);
    console.log(`applied ${ran.length} migrations`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  if (pending.length > 0) {
    console.error('The entities differ from the migrations. Generate one with `npm run migration:generate -- src/database/migrations/<Name>`:');
    for (const q of pending) console.error(`  ${q}`);
    process.exit(1);
  }
  console.log('entities and migrations agree');
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
