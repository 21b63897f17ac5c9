import type { NormalizedError } from './error-faces';

const DOCS = 'https://docs.github.com/rest';
const APPS = `${DOCS}/apps/apps`;

interface GithubFaceEntry {
  /** GitHub's own text for this failure; the hub's message when absent. */
  message?: string;
  /** GitHub answers some failures with another status than the hub's default (validation is 422 there). */
  status?: number;
  documentation_url: string;
}

/** The GitHub face's one mapping table: hub error code → GitHub's status, message and documentation page. */
const GITHUB_FACE_ERRORS: Record<string, GithubFaceEntry> = {
  UNAUTHENTICATED: { message: 'Bad credentials', documentation_url: `${DOCS}/authentication/authenticating-to-the-rest-api` },
  MISSING_SCOPE: { documentation_url: `${DOCS}/authentication/authenticating-to-the-rest-api` },
  RATE_LIMITED: { documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` },
  rate_limited: { documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` },
  MALFORMED_JSON: { message: 'Problems parsing JSON', documentation_url: `${DOCS}/using-the-rest-api/troubleshooting-the-rest-api` },
  VALIDATION_FAILED: { message: 'Validation Failed', status: 422, documentation_url: `${DOCS}/using-the-rest-api/troubleshooting-the-rest-api` },
  INVALID_PERMISSION_LEVEL: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  TOO_MANY_REPOSITORIES: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  GITHUB_VALIDATION_FAILED: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  GITHUB_INSTALLATION_NOT_FOUND: { message: 'Not Found', documentation_url: `${APPS}#get-an-installation-for-the-authenticated-app` },
  GITHUB_INSTALLATION_SUSPENDED: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  GITHUB_INSTALLATION_DELETED: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  GITHUB_USER_LINK_NOT_FOUND: { documentation_url: `${APPS}#create-an-installation-access-token-for-an-app` },
  GITHUB_INSTALLATION_TOKEN_UNKNOWN: { message: 'Bad credentials', documentation_url: `${DOCS}/apps/installations#list-repositories-accessible-to-the-app-installation` },
  NOT_FOUND: { message: 'Not Found', documentation_url: DOCS },
};

interface FieldDetail {
  field: string;
  errors: string[];
}

function isFieldDetails(details: unknown): details is FieldDetail[] {
  return Array.isArray(details) && details.every((d) => typeof (d as FieldDetail)?.field === 'string' && Array.isArray((d as FieldDetail).errors));
}

/**
 * GitHub's error body `{message, documentation_url, errors?}`; validation failures list GitHub's `errors` entries
 * (`{field, code, message}`). The request id travels in `X-Request-Id` and, as on GitHub, `X-GitHub-Request-Id`.
 */
export function renderGithubError(e: NormalizedError, requestId: string): { status: number; body: unknown; headers: Record<string, string> } {
  const entry = GITHUB_FACE_ERRORS[e.code];
  const status = entry?.status ?? e.status;
  const message = entry?.message ?? (status >= 500 ? 'Server Error' : e.message);
  const errors = isFieldDetails(e.details) ? e.details.flatMap((d) => d.errors.map((text) => ({ field: d.field, code: 'invalid', message: `${d.field}: ${text}` }))) : undefined;
  return {
    status,
    body: { message, documentation_url: entry?.documentation_url ?? DOCS, ...(errors?.length ? { errors } : {}) },
    headers: { 'x-github-request-id': requestId },
  };
}
