import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_BEARER_SCHEME, API_KEY_TOKEN_SCHEME } from '../auth/authz.decorator';
import { ERROR_STATUS } from '../common/error-codes';
import { METRICS_TOKEN_SCHEME } from '../health/health.controller';
import { describeFaceErrors } from './error-examples';
import { INTRODUCTION } from './introduction';
import { DIALECT_OF_TAG, ENUM_DESCRIPTIONS } from './schema-descriptions';
import { TAGS } from './tags';

/** Builds the OpenAPI document from the running app's routes and decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Integrations Hub API')
    .setDescription(INTRODUCTION)
    .setVersion('0.1.0')
    .addServer('/', 'This hub')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'ihk_ API key', description: 'A personal API key (`ihk_...`): `Authorization: Bearer <key>`' }, API_KEY_BEARER_SCHEME)
    .addSecurity(API_KEY_TOKEN_SCHEME, {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: "The same personal API key in GitHub's other scheme, `Authorization: token <key>` (what octokit sends). Either scheme's name is case-insensitive.",
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: "The instance's `METRICS_TOKEN` (for `/api/metrics` only; API keys are refused there)" },
      METRICS_TOKEN_SCHEME,
    );
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const config = builder.build();
  // No public license text exists for this self-hosted product: name it, link nothing.
  config.info.license = { name: 'UNLICENSED (proprietary; see the repository)' };
  config.info.contact = { name: 'Integrations Hub maintainers' };
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
  assertUniqueOperationIds(document);
  markPublicOperations(document);
  describeErrorCatalog(document);
  describeEnums(document);
  describeAccess(document);
  describeFaceErrors(document);
  return normalizeDocument(document) as OpenAPIObject;
}

/** operationIds are method names: two controllers with one method name would collide, so that fails generation. */
function assertUniqueOperationIds(document: OpenAPIObject): void {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[string, { operationId?: string }]>) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const other = seen.get(op.operationId);
      if (other) throw new Error(`operationId ${op.operationId} names both ${other} and ${method.toUpperCase()} ${path}: rename one controller method`);
      seen.set(op.operationId, `${method.toUpperCase()} ${path}`);
    }
  }
}

/**
 * Public routes say so explicitly: no API-key requirement (an empty list documents "no key"); a public route that
 * takes its own token (`/api/metrics`) keeps that scheme.
 */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Array<Record<string, unknown>>) {
      if (!op || typeof op !== 'object' || !('x-public' in op)) continue;
      const own = ((op.security ?? []) as Array<Record<string, unknown>>).filter((s) => !(API_KEY_BEARER_SCHEME in s) && !(API_KEY_TOKEN_SCHEME in s));
      op.security = own;
    }
  }
}

/** Enum schemas get their description from ENUM_DESCRIPTIONS. */
function describeEnums(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}) as Array<[string, Record<string, unknown>]>) {
    if (schema.enum && !schema.description && ENUM_DESCRIPTIONS[name]) schema.description = ENUM_DESCRIPTIONS[name];
  }
}

const ROLE_TEXT: Readonly<Record<string, string>> = {
  'role:member': 'any member of the organization',
  'role:admin': 'an owner or admin of the organization',
  'role:owner': 'an owner of the organization',
  MANAGE_ORGANISATION: 'a member holding `MANAGE_ORGANISATION` (owners and admins)',
};

/**
 * Ends every operation's description with who may call it and which dialect it follows, read from the same
 * declaration that enforces it (`x-required-scope`, `x-required-permission`, `x-public`) and from its tag.
 */
function describeAccess(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Array<Record<string, unknown>>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const scope = op['x-required-scope'] as string | undefined;
      const permission = op['x-required-permission'] as string | undefined;
      const pub = op['x-public'] as string | undefined;
      const who = pub
        ? `public, no key (${pub.replace(/[.;,]$/, '')})`
        : `a key with ${scope && scope !== 'none' ? `\`${scope}\`` : 'any scope'}${permission ? `, held by ${ROLE_TEXT[permission] ?? `\`${permission}\``}` : ''}`;
      const dialect = ((op.tags as string[] | undefined) ?? []).map((t) => DIALECT_OF_TAG[t]).find(Boolean);
      const parts = [op.description as string | undefined, `**Who may call:** ${who}.`, dialect ? `**Dialect:** follows ${dialect}.` : undefined];
      op.description = parts.filter(Boolean).join('\n\n');
    }
  }
}

/** The catalog's one status per code, on the ErrorCode schema (`x-status`), so clients can read it from the contract. */
function describeErrorCatalog(document: OpenAPIObject): void {
  const schema = document.components?.schemas?.ErrorCode as Record<string, unknown> | undefined;
  if (schema) schema['x-status'] = { ...ERROR_STATUS };
}

/** Sorts object keys recursively so the committed document is byte-stable. */
export function normalizeDocument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeDocument);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalizeDocument(v);
    }
    return out;
  }
  return value;
}

export function serializeDocument(document: unknown): string {
  return JSON.stringify(normalizeDocument(document), null, 2) + '\n';
}
