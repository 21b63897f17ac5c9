import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const schema = readFileSync(join(__dirname, 'env.schema.ts'), 'utf8');
/** Property names of EnvironmentVariables: upper-case identifiers declared as class fields. */
const variables = [...schema.matchAll(/^\s*(?:@[^\n]*\s)*?([A-Z][A-Z0-9_]{2,})[?]?(?::| =)/gm)].map((m) => m[1]);

describe('configuration docs', () => {
  it('finds the variables in the schema', () => {
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'ENCRYPTION_KEYS', 'GITHUB_APP_ID', 'GATEWAYS']));
  });

  it.each(['.env.example', 'README.md'])('%s documents every variable of the schema', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(variables.filter((v) => !text.includes(v))).toEqual([]);
  });
});
