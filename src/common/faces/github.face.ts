import { ErrorCode } from '../error-codes';
import type { NormalizedError, RenderError } from './error-face';
import { renderHubError } from './hub.face';

const REST_DOCS = 'https://docs.github.com/rest';
const APPS = `${REST_DOCS}/apps/apps`;
const MINT = `${APPS}#create-an-installation-access-token-for-an-app`;
const TROUBLESHOOTING = `${REST_DOCS}/using-the-rest-api/troubleshooting-the-rest-api`;

export interface GithubErrorEntry {
  /** The page GitHub itself links in `documentation_url`. */
  documentation_url: string;
  /** GitHub's own text for the failure (`Not Found`, `Bad credentials`); the hub's message when absent. */
  message?: string;
  /** GitHub's status when it differs from the catalog's: validation failures are 422 on GitHub. */
  status?: number;
}

/** The GitHub face's one table: a hub code → how GitHub answers it. Codes not listed link the REST docs. */
export const GITHUB_ERRORS: Readonly<Partial<Record<ErrorCode, GithubErrorEntry>>> = {
  [ErrorCode.Unauthenticated]: { message: 'Bad credentials', documentation_url: `${REST_DOCS}/overview/authenticating-to-the-rest-api` },
  [ErrorCode.CredentialsMissing]: { message: 'Requires authentication', documentation_url: `${REST_DOCS}/overview/authenticating-to-the-rest-api` },
  [ErrorCode.GithubInstallationTokenUnknown]: { message: 'Bad credentials', documentation_url: `${REST_DOCS}/apps/installations#list-repositories-accessible-to-the-app-installation` },
  [ErrorCode.MissingScope]: { documentation_url: `${REST_DOCS}/overview/authenticating-to-the-rest-api` },
  [ErrorCode.RateLimited]: { documentation_url: `${REST_DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` },
  [ErrorCode.ProviderRateLimited]: { documentation_url: `${REST_DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` },
  [ErrorCode.MalformedJson]: { message: 'Problems parsing JSON', documentation_url: TROUBLESHOOTING },
  [ErrorCode.ValidationFailed]: { message: 'Validation Failed', status: 422, documentation_url: TROUBLESHOOTING },
  [ErrorCode.NotFound]: { message: 'Not Found', documentation_url: REST_DOCS },
  [ErrorCode.GithubInstallationNotFound]: { message: 'Not Found', documentation_url: `${APPS}#get-an-installation-for-the-authenticated-app` },
  [ErrorCode.GithubUserLinkNotFound]: { documentation_url: MINT },
  [ErrorCode.GithubInstallationSuspended]: { documentation_url: MINT },
  [ErrorCode.GithubInstallationDeleted]: { documentation_url: MINT },
  [ErrorCode.TooManyRepositories]: { documentation_url: MINT },
  [ErrorCode.InvalidPermissionLevel]: { documentation_url: MINT },
  [ErrorCode.GithubValidationFailed]: { documentation_url: MINT },
};

interface FieldDetail {
  field: string;
  errors: string[];
}

function isFieldDetails(details: unknown): details is FieldDetail[] {
  return Array.isArray(details) && details.every((d) => typeof (d as FieldDetail)?.field === 'string' && Array.isArray((d as FieldDetail).errors));
}

/** GitHub's `errors` entries (`{field, code, message}`) for per-field validation details. */
function githubValidationErrors(e: NormalizedError): Array<{ field: string; code: string; message: string }> {
  return isFieldDetails(e.details) ? e.details.flatMap((d) => d.errors.map((text) => ({ field: d.field, code: 'invalid', message: `${d.field}: ${text}` }))) : [];
}

/**
 * GitHub's body `{message, documentation_url, errors?}` (GitHub App routes), as octokit's RequestError carries it;
 * the request id also travels as GitHub's `X-GitHub-Request-Id`.
 */
export const renderGithubError: RenderError = (e, requestId) => {
  const entry = GITHUB_ERRORS[e.code];
  const status = entry?.status ?? e.status;
  const errors = githubValidationErrors(e);
  return {
    status,
    body: { message: entry?.message ?? (status >= 500 ? 'Server Error' : e.message), documentation_url: entry?.documentation_url ?? REST_DOCS, ...(errors.length ? { errors } : {}) },
    headers: { 'x-github-request-id': requestId },
  };
};

/**
 * The seed's 2016 preview routes: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields
 * alongside and the catalog's status, so callers written against the hub's body keep working.
 */
export const renderGithubPreviewError: RenderError = (e, requestId) => {
  const hub = renderHubError(e, requestId);
  return { status: hub.status, body: { message: e.message, documentation_url: GITHUB_ERRORS[e.code]?.documentation_url ?? REST_DOCS, ...(hub.body as object) } };
};
