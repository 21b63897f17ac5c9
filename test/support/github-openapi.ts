import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
}

/**
 * The published path schema of GET /app/installations inlines `account` as allOf [simple-user, enterprise], which
 * no real account satisfies (the `installation` component says anyOf): validate against the component instead.
 */
const KNOWN_BAD_PATH_SCHEMAS: Record<string, unknown> = {
  'GET /app/installations': { type: 'array', items: { $ref: '#/components/schemas/installation' } },
};

/**
 * GitHub's published REST description (`@octokit/openapi`) as ajv validators: a response schema by path and status,
 * or a component schema by name. Used to hold both the fake GitHub and the hub's GitHub face to GitHub's shapes.
 */
export class GithubOpenApi {
  readonly spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as OpenApiDocument;
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'github', components: toJsonSchema(this.spec.components) });
  }

  /** The schema of `method template` answering `status` (corrected where the published one is known to be wrong). */
  responseSchema(method: string, template: string, status: number): unknown {
    const corrected = KNOWN_BAD_PATH_SCHEMAS[`${method.toUpperCase()} ${template}`];
    if (corrected) return corrected;
    let response = this.spec.paths[template][method.toLowerCase()].responses[String(status)];
    if (response.$ref) response = this.spec.components.responses[response.$ref.split('/').pop() as string];
    return response.content!['application/json'].schema;
  }

  /** Throws with ajv's explanation when `json` does not match `schema` (a schema object, or a component name). */
  assert(schema: unknown, json: unknown, what: string): void {
    const source = typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema;
    const cacheKey = JSON.stringify(source);
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(rebase(toJsonSchema(source)) as object);
      this.compiled.set(cacheKey, validate);
    }
    if (!validate(json)) throw new Error(`${what}: ${this.ajv.errorsText(validate.errors)}`);
  }
}

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a null alternative (ajv does not know `nullable` without `type`). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, discriminator: _discriminator, example: _example, examples: _examples, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, toJsonSchema(s)])) : toJsonSchema(v);
  if (nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** Points the document's local `#/components/...` references at the registered `github` schema. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `github${v}` : rebase(v)]));
}
