import { ErrorCode } from '../error-codes';
import type { RenderError } from './error-face';
import { renderHubError } from './hub.face';

const REST_DOCS = 'https://docs.github.com/rest';

/** The GitHub docs page GitHub itself links (`documentation_url`) for a hub code; other codes link the REST docs. */
export const GITHUB_ERRORS: Readonly<Partial<Record<ErrorCode, string>>> = {
  [ErrorCode.Unauthenticated]: `${REST_DOCS}/overview/authenticating-to-the-rest-api`,
  [ErrorCode.ProviderRateLimited]: `${REST_DOCS}/using-the-rest-api/rate-limits-for-the-rest-api`,
  [ErrorCode.GithubInstallationNotFound]: `${REST_DOCS}/apps/apps#get-an-installation-for-the-authenticated-app`,
  [ErrorCode.TooManyRepositories]: `${REST_DOCS}/apps/apps#create-an-installation-access-token-for-an-app`,
  [ErrorCode.GithubValidationFailed]: `${REST_DOCS}/apps/apps#create-an-installation-access-token-for-an-app`,
};

/**
 * GitHub's body `{message, documentation_url}`, which octokit reads; the hub's fields stay alongside so callers
 * written against the hub's body keep working.
 */
export const renderGithubError: RenderError = (e, requestId) => {
  const hub = renderHubError(e, requestId);
  return { status: hub.status, body: { message: e.message, documentation_url: GITHUB_ERRORS[e.code] ?? REST_DOCS, ...(hub.body as object) } };
};
