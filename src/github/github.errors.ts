import { HubError } from '../common/hub-error';

export const RATE_LIMIT_MESSAGE = 'GitHub API rate limit exceeded. Please retry later.';

/** The `installation` webhook said GitHub suspended the installation: no tokens until it is unsuspended. */
export const installationSuspended = () =>
  new HubError(403, 'GITHUB_INSTALLATION_SUSPENDED', 'The GitHub installation is suspended: no tokens are minted until it is unsuspended');
/** The `installation` webhook said the app was uninstalled. */
export const installationDeleted = () => new HubError(403, 'GITHUB_INSTALLATION_DELETED', 'The GitHub App was uninstalled from this installation: no tokens are minted for it');

/** What octokit's RequestError carries that we look at (kept structural so no octokit type leaks out). */
interface GithubRequestError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isRequestError(err: unknown): err is GithubRequestError {
  return typeof (err as GithubRequestError)?.status === 'number' && (err as Error).name === 'HttpError';
}

/** Seconds until GitHub accepts calls again, from Retry-After or X-RateLimit-Reset. */
export function retryAfterSeconds(headers: Record<string, string | number | undefined>, nowMs = Date.now()): number {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
  const reset = Number(headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  return 60;
}

export function isRateLimited(err: GithubRequestError): boolean {
  const headers = err.response?.headers ?? {};
  if (err.status === 429) return true;
  if (err.status !== 403) return false;
  return String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(err.message);
}

export interface TranslateOptions {
  /** What a GitHub 404 means to our caller (e.g. the installation is gone); default 502. */
  notFound?: HubError;
}

/**
 * The one place GitHub failures become hub errors: rate limits → 429 with Retry-After, missing app permission
 * → 403 naming it, bad app credentials and outages → 502. Never a 500, never a token in the message.
 */
export function translateGithubError(err: unknown, opts: TranslateOptions = {}): HubError {
  if (err instanceof HubError) return err;
  if (!isRequestError(err)) {
    return new HubError(502, 'GITHUB_UNAVAILABLE', 'GitHub could not be reached');
  }
  const headers = err.response?.headers ?? {};
  if (isRateLimited(err)) {
    return new HubError(429, 'rate_limited', RATE_LIMIT_MESSAGE, undefined, undefined, { 'retry-after': String(retryAfterSeconds(headers)) });
  }
  const upstream = githubMessage(err);
  if (err.status === 403 && /resource not accessible by integration/i.test(upstream)) {
    const permission = headers['x-accepted-github-permissions'];
    const needed = permission ? String(permission) : 'unknown';
    return new HubError(403, 'GITHUB_PERMISSION_MISSING', `The GitHub App installation lacks a permission this needs: ${needed}. Grant it in the app's settings and accept the new permissions.`, { permission: needed });
  }
  if (err.status === 403 && /suspended/i.test(upstream)) return new HubError(403, 'GITHUB_INSTALLATION_SUSPENDED', 'The GitHub installation is suspended');
  if (err.status === 404 && opts.notFound) return opts.notFound;
  if (err.status === 401) return new HubError(502, 'GITHUB_AUTH_FAILED', 'GitHub refused the app credentials');
  if (err.status === 422) return new HubError(422, 'GITHUB_VALIDATION_FAILED', `GitHub refused the request: ${upstream}`);
  if (err.status >= 500 || err.status === 0) return new HubError(502, 'GITHUB_UNAVAILABLE', `GitHub answered ${err.status}`);
  return new HubError(502, 'GITHUB_REQUEST_FAILED', `GitHub answered ${err.status}: ${upstream}`);
}

function githubMessage(err: GithubRequestError): string {
  const data = err.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message.slice(0, 300) : '';
}
