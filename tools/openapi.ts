import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { KeyRing } from '../src/common/sealed-secrets';
import { loadConfig } from '../src/config/hub-config';
import pino from 'pino';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { buildOpenApiDocument, serializeDocument } from '../src/openapi/document';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const DOCUMENT_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');

/**
 * Generates the document from the code (the app is built on a throwaway embedded database, never listening).
 * Two DTO classes with one name would share one schema in the document (@nestjs/swagger keeps the first and
 * only warns), so any such warning fails generation.
 */
async function generate(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-openapi-'));
  const config = loadConfig({ DATA_DIR: dataDir, ENCRYPTION_KEYS: KeyRing.generateSpec('doc'), LOG_LEVEL: 'warn', HUB_ROLE: 'api' });
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg?: string }).msg ?? line) });
  const db = await startEmbeddedPostgres(dataDir);
  const app = await createApp(config, logger, db.url, true);
  try {
    const document = serializeDocument(buildOpenApiDocument(app));
    const duplicates = [...new Set(warnings.filter((w) => w.includes('Duplicate DTO')).map((w) => w.split('\n')[0]))];
    if (duplicates.length > 0) throw new Error(`Schema names must be unique in the contract; rename the DTO classes:\n  ${duplicates.join('\n  ')}`);
    return document;
  } finally {
    await app.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const generated = await generate();
  if (mode === 'generate') {
    writeFileSync(DOCUMENT_PATH, generated);
    console.log(`wrote ${DOCUMENT_PATH}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(DOCUMENT_PATH, 'utf8');
  } catch {
    // treated as a difference below
  }
  if (committed !== generated) {
    const a = committed.split('\n');
    const b = generated.split('\n');
    let line = 0;
    while (line < Math.min(a.length, b.length) && a[line] === b[line]) line++;
    console.error(`openapi/openapi.json differs from the code (first difference at line ${line + 1}):`);
    console.error(`  committed: ${a[line] ?? '<end of file>'}`);
    console.error(`  generated: ${b[line] ?? '<end of file>'}`);
    console.error('Run `npm run openapi:generate` and commit the result.');
    process.exit(1);
  }
  console.log('openapi/openapi.json matches the code');
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
