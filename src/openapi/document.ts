import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_BEARER_SCHEME, API_KEY_TOKEN_SCHEME } from '../auth/authz.decorator';
import { ERROR_STATUS } from '../common/error-codes';
import { METRICS_TOKEN_SCHEME } from '../health/health.controller';
import { describeFaceErrors } from './error-examples';

/** Builds the OpenAPI document from the running app's routes and decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Integrations Hub API')
    .setDescription(
      'Connects an organization\'s projects to third-party providers. Speaks five API dialects over one domain model: ' +
        "PostHog's project integrations, TinyOps' workspace integrations and org scans, vRaptor's integration object, " +
        "Infisical's app connections and GitHub's Apps API (also served under `/api/v3`, as GitHub Enterprise Server does). Each operation states its required scope (`x-required-scope`) " +
        'and role or permission (`x-required-permission`), or that it is public (`x-public`).',
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED', 'https://example.invalid/license')
    .addServer('/', 'This hub')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'ihk_ personal API key', description: 'A personal API key (`ihk_...`): `Authorization: Bearer <key>`' }, API_KEY_BEARER_SCHEME)
    .addSecurity(API_KEY_TOKEN_SCHEME, {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: "The same personal API key in GitHub's other scheme, `Authorization: token <key>` (what octokit sends). Either scheme's name is case-insensitive.",
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: "The instance's `METRICS_TOKEN` (for `/api/metrics` only; API keys are refused there)" },
      METRICS_TOKEN_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
  markPublicOperations(document);
  describeErrorCatalog(document);
  describeFaceErrors(document);
  return normalizeDocument(document) as OpenAPIObject;
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
