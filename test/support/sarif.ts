import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The OASIS SARIF 2.1.0 schema (test/fixtures/README.md says where it comes from), compiled once. */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));
  // Written for JSON Schema draft-04; the keywords it uses mean the same to Ajv's default draft, which has no draft-04
  // meta-schema (`id` is draft-04's `$id`).
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}
