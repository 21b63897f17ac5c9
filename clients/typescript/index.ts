import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { paths, components, operations } from './schema';

type Schemas = components['schemas'];

/** The error body of the hub's own routes (and TinyOps', vRaptor's): `{statusCode, code, message, details?, requestId}`. */
export type HubErrorBody = Schemas['ErrorBodyDto'];
/** The PostHog face's error body (`/api/projects/{project_id}/integrations/...`): DRF's `{type, code, detail, attr}`. */
export type PosthogErrorBody = Schemas['PosthogErrorDto'];
/** The Infisical face's error body (`/api/v1/app-connections/...`): `{reqId, statusCode, message, error}`. */
export type InfisicalErrorBody = Schemas['InfisicalErrorDto'];
/** The Infisical face's 422: `error: "ValidationFailure"` and zod issues as `message`. */
export type InfisicalValidationErrorBody = Schemas['InfisicalValidationErrorDto'];
/** The GitHub face's error body (`/api/app/...`, `/api/orgs/{org}/installation`, ...): `{message, documentation_url, errors?}`. */
export type GithubErrorBody = Schemas['GithubErrorDto'];
/** The GitHub 2016 preview routes' body: GitHub's fields with the hub's. */
export type GithubPreviewErrorBody = Schemas['GithubPreviewErrorDto'];
/** Every error body a face sends. */
export type AnyErrorBody = HubErrorBody | PosthogErrorBody | InfisicalErrorBody | InfisicalValidationErrorBody | GithubErrorBody | GithubPreviewErrorBody;
/** The hub's error catalog (`code` of HubErrorBody); each code has one HTTP status. */
export type ErrorCode = Schemas['ErrorCode'];

export interface HubClientOptions {
  /** Base URL of the hub, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** A personal API key (`ihk_...`). */
  apiKey?: string;
  /** For users in several organizations: which one the call is about. */
  organizationId?: string;
  fetch?: typeof fetch;
}

/** A typed client for internal services, generated from the hub's OpenAPI contract. */
export function createHubClient(options: HubClientOptions): Client<paths> {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.organizationId) headers['x-organization-id'] = options.organizationId;
  return createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
}

/** An error answer of the hub, with its status, its body in the face's shape and the request id to quote. */
export class HubApiError<B = AnyErrorBody> extends Error {
  override readonly name = 'HubApiError';
  constructor(
    readonly status: number,
    readonly body: B,
    readonly requestId: string | null,
  ) {
    super(errorMessage(status, body));
  }

  /** The catalog code, when the body carries one (hub face; PostHog's `code` is DRF's). */
  get code(): string | undefined {
    const code = (this.body as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

function errorMessage(status: number, body: unknown): string {
  const b = (body ?? {}) as { message?: unknown; detail?: unknown };
  const text = typeof b.message === 'string' ? b.message : typeof b.detail === 'string' ? b.detail : Array.isArray(b.message) ? 'Validation failed' : `HTTP ${status}`;
  return `${status}: ${text}`;
}

/**
 * Returns `data` of an openapi-fetch result, or throws a HubApiError carrying the face's error body:
 * `const me = unwrap(await hub.GET('/api/users/@me'))`.
 */
export function unwrap<D, E>(result: { data?: D; error?: E; response: Response }): D {
  if (result.error !== undefined || !result.response.ok) {
    throw new HubApiError<E>(result.response.status, result.error as E, result.response.headers.get('x-request-id'));
  }
  return result.data as D;
}
