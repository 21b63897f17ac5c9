import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_STATUS, ErrorCode } from '../common/error-codes';
import { type ErrorFace, renderError } from '../common/error-faces';

/**
 * The committed contract teaches: every operation, response, tag, schema and property says what it is, and every
 * error example is true for the status it stands under. Runs over openapi/openapi.json (what consumers read).
 */
type Schema = { description?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[]; oneOf?: Schema[]; $ref?: string; enum?: unknown[] };
type Example = { value?: Record<string, unknown>; 'x-error-code'?: string; summary?: string };
type Response = { description?: string; content?: Record<string, { schema?: Schema; examples?: Record<string, Example> }> };
type Operation = { operationId?: string; description?: string; tags?: string[]; responses: Record<string, Response>; 'x-error-dialect'?: ErrorFace };

const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  tags?: Array<{ name: string; description?: string }>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })));
const CODES = new Set<string>(Object.values(ErrorCode));

/** The status a face answers a code with: the catalog's, unless the dialect spells it otherwise (GitHub's and Infisical's 422). */
const statusOf = (face: ErrorFace, code: ErrorCode) => renderError(face, { status: ERROR_STATUS[code], code, message: 'example' }, 'request-id').status;

/** Properties of a schema, nested inline objects and array items included, with where they are. */
function undescribedProperties(schema: Schema, where: string): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!prop.description?.trim()) out.push(`${where}.${name}`);
    out.push(...undescribedProperties(prop, `${where}.${name}`));
    if (prop.items) out.push(...undescribedProperties(prop.items, `${where}.${name}[]`));
  }
  return out;
}

describe('the contract describes itself', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it('gives every operation a description', () => {
    expect(operations.filter(({ op }) => !op.description?.trim()).map(({ where }) => where)).toEqual([]);
  });

  it('gives every response a description', () => {
    const missing = operations.flatMap(({ where, op }) => Object.entries(op.responses).filter(([, r]) => !r.description?.trim()).map(([status]) => `${where} ${status}`));
    expect(missing).toEqual([]);
  });

  it('declares every tag it uses, each with a description', () => {
    const declared = new Map((document.tags ?? []).map((t) => [t.name, t.description ?? '']));
    const used = new Set(operations.flatMap(({ op }) => op.tags ?? []));
    expect([...used].filter((t) => !declared.get(t)?.trim())).toEqual([]);
    expect(operations.filter(({ op }) => !op.tags?.length).map(({ where }) => where)).toEqual([]);
  });

  it('gives every schema and every property a description', () => {
    const schemas = Object.entries(document.components.schemas);
    expect(schemas.filter(([, s]) => !s.description?.trim()).map(([name]) => name)).toEqual([]);
    expect(schemas.flatMap(([name, s]) => undescribedProperties(s, name))).toEqual([]);
  });
});

describe('error examples are true for the status they stand under', () => {
  const errorResponses = operations.flatMap(({ where, op }) =>
    Object.entries(op.responses)
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => ({ where: `${where} ${status}`, status: Number(status), response, face: op['x-error-dialect'] ?? 'hub' })),
  );

  it('has error responses to check', () => {
    expect(errorResponses.length).toBeGreaterThan(100);
  });

  it('shows at least one example under every error response with an error body', () => {
    const withoutExamples = errorResponses.filter(({ response }) => {
      const json = response.content?.['application/json'];
      const ref = json?.schema?.$ref ?? '';
      return json && /Error(Body)?Dto$/.test(ref) && Object.keys(json.examples ?? {}).length === 0;
    });
    expect(withoutExamples.map(({ where }) => where)).toEqual([]);
  });

  it('names a catalog code whose status is the response status, and the body agrees', () => {
    const wrong: string[] = [];
    for (const { where, status, response, face } of errorResponses) {
      for (const [name, example] of Object.entries(response.content?.['application/json']?.examples ?? {})) {
        const code = example['x-error-code'];
        const body = example.value ?? {};
        if (!code || !CODES.has(code)) wrong.push(`${where} ${name}: x-error-code ${String(code)} is not a catalog code`);
        else if (statusOf(face, code as ErrorCode) !== status) wrong.push(`${where} ${name}: ${code} answers ${statusOf(face, code as ErrorCode)} on the ${face} face`);
        if (typeof body.statusCode === 'number' && body.statusCode !== status) wrong.push(`${where} ${name}: body statusCode ${body.statusCode}`);
        if (typeof body.code === 'string' && CODES.has(body.code) && statusOf(face, body.code as ErrorCode) !== status) wrong.push(`${where} ${name}: body code ${body.code} answers ${statusOf(face, body.code as ErrorCode)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
