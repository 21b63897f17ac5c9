#!/usr/bin/env node
// Generates the typed TypeScript client's schema from openapi/openapi.json (`generate`), or fails when the
// committed schema differs from what the document produces (`check`).
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const documentPath = join(root, 'openapi', 'openapi.json');
const schemaPath = join(root, 'clients', 'typescript', 'schema.d.ts');

async function render() {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(JSON.parse(readFileSync(documentPath, 'utf8')), { alphabetize: true });
  return '// Generated from openapi/openapi.json by `npm run client:generate`. Do not edit.\n' + astToString(ast);
}

render().then((generated) => {
  if (process.argv[2] === 'generate') {
    writeFileSync(schemaPath, generated);
    console.log(`wrote ${schemaPath}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(schemaPath, 'utf8');
  } catch {
    // a missing file is a difference
  }
  if (committed !== generated) {
    console.error('clients/typescript/schema.d.ts differs from openapi/openapi.json. Run `npm run client:generate` and commit.');
    process.exit(1);
  }
  console.log('clients/typescript/schema.d.ts matches openapi/openapi.json');
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
