import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONCRETE_SCOPES, scopesCover } from '../src/auth/roles';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { keyWithScopes } from './support/identity';

interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string; schema?: { format?: string; type?: string } }>;
  security?: unknown[];
  'x-public'?: string;
  'x-required-scope'?: string;
  'x-required-permission'?: string;
}

/** The only routes that may be called without a key (ARCHITECTURE.md, "Public routes"). */
const PUBLIC_ALLOWED = [
  /^\/api\/healthz$/,
  /^\/api\/readyz$/,
  /^\/api\/invites\/accept$/,
  /^\/api\/integrations\/[^/]+\/callback$/,
  // GitHub's App manifest redirect, authenticated by its single-use state.
  /^\/api\/github\/app-manifest\/callback$/,
  /^\/api\/webhooks\/github$/,
  /^\/api\/domain-connect\/public-key-records$/,
  // Authenticated by an installation token the hub minted, as on GitHub.
  /^\/api\/installation\/repositories$/,
  // Instance-level: authenticated by METRICS_TOKEN, never by a tenant's API key.
  /^\/api\/metrics$/,
];
/** Public routes that take a token of their own instead of an API key. */
const OWN_SECURITY: Record<string, unknown[]> = { '/api/metrics': [{ metrics_token: [] }] };

const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);
const protectedOps = operations.filter(({ op }) => !op['x-public']);

function concretePath(path: string, op: Operation): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
    if (param?.schema?.format === 'uuid' || /(^|_)(org|project|user)_id$|^id$|connectionId/.test(name)) return '00000000-0000-4000-8000-000000000001';
    if (param?.schema?.type === 'integer' || /installation_id|integration_id/.test(name)) return '123456';
    return 'github';
  });
}

describe('auth matrix (every operation in openapi/openapi.json)', () => {
  let t: TestHub;
  const keysByScope = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestHub();
    for (const scope of CONCRETE_SCOPES) keysByScope.set(scope, await keyWithScopes(t, [scope]));
  });
  afterAll(async () => t?.close());

  it('declares access on every operation: a scope, or public from the allowed list', () => {
    expect(operations.length).toBeGreaterThan(10);
    for (const { path, method, op } of operations) {
      const where = `${method} ${path}`;
      if (op['x-public']) {
        expect({ where, allowed: PUBLIC_ALLOWED.some((re) => re.test(path)) }).toEqual({ where, allowed: true });
        expect({ where, security: op.security }).toEqual({ where, security: OWN_SECURITY[path] ?? [] });
      } else {
        expect({ where, scope: typeof op['x-required-scope'] }).toEqual({ where, scope: 'string' });
        expect({ where, security: op.security }).toEqual({ where, security: [{ api_key: [] }, { api_key_token: [] }] });
      }
    }
  });

  it.each(protectedOps.map((o) => [`${o.method} ${o.path}`, o] as const))('%s: 401 without a key', async (_name, { path, method, op }) => {
    const res = await http(t.url, method, concretePath(path, op), { body: method === 'GET' || method === 'DELETE' ? undefined : {} });
    expect(res.status).toBe(401);
    // Each dialect names the failure: hub `code`, PostHog `type`, Infisical `error`, GitHub `documentation_url`.
    expect(res.body.code ?? res.body.type ?? res.body.error ?? res.body.documentation_url).toBeDefined();
  });

  it.each(protectedOps.filter((o) => o.op['x-required-scope'] !== 'none').map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s: 403 naming the scope for a key without it',
    async (_name, { path, method, op }) => {
      const required = op['x-required-scope'] as string;
      const other = CONCRETE_SCOPES.find((s) => !scopesCover([s], required)) as string;
      const res = await http(t.url, method, concretePath(path, op), {
        key: keysByScope.get(other),
        body: method === 'GET' || method === 'DELETE' ? undefined : {},
      });
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toContain(`API key missing required scope '${required}'`);
    },
  );
});
