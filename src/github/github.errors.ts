import { providerRateLimited } from '../common/common.errors';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export const RATE_LIMIT_MESSAGE = 'GitHub API rate limit exceeded. Please retry later.';

export const githubNotConfigured = (missing: string[] = []) =>
  new HubError(
    ErrorCode.GithubNotConfigured,
    `The GitHub App is not configured on this hub${missing.length ? `: set ${missing.join(', ')} (or create the App with POST /api/github/app-manifest)` : ''}`,
    missing.length ? { details: { missing } } : {},
  );
export const githubAppAlreadyConfigured = (source: string) =>
  new HubError(ErrorCode.GithubAppAlreadyConfigured, `This hub already has a GitHub App (${source}); the manifest flow only creates the first one`);
export const githubManifestCodeInvalid = () =>
  new HubError(ErrorCode.GithubManifestCodeInvalid, 'GitHub did not accept the manifest code (unknown, used or older than an hour): start the manifest flow again', { attr: 'code' });
export const githubOauthNotConfigured = () =>
  new HubError(ErrorCode.GithubOauthNotConfigured, 'GitHub user OAuth is not configured (GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET)');
export const githubWebhooksNotConfigured = () => new HubError(ErrorCode.GithubWebhooksNotConfigured, 'GITHUB_WEBHOOK_SECRET is not set');
export const invalidWebhookSignature = () => new HubError(ErrorCode.InvalidWebhookSignature, 'Missing or invalid X-Hub-Signature-256');
export const webhookHeadersMissing = () => new HubError(ErrorCode.WebhookHeadersMissing, 'X-GitHub-Event and X-GitHub-Delivery are required');

/** `field`: how the face spells it (`installation_id`, Infisical's `installationId`). */
export const installationIdRequired = (field = 'installation_id') => new HubError(ErrorCode.InstallationIdRequired, `${field} is required`, { attr: field });
export const accountLoginRequired = () => new HubError(ErrorCode.AccountLoginRequired, 'accountLogin is required', { attr: 'accountLogin' });
export const accountMismatch = (id: string, owner: string, given: string) =>
  new HubError(ErrorCode.GithubAccountMismatch, `GitHub installation ${id} belongs to '${owner}', not '${given}'`, { attr: 'accountLogin' });
export const githubCodeInvalid = () => new HubError(ErrorCode.GithubCodeInvalid, 'The GitHub authorization code is invalid or expired', { attr: 'code' });

export const installationNotFound = (id: string) => new HubError(ErrorCode.GithubInstallationNotFound, `GitHub installation ${id} was not found`);
export const installationAccessDenied = () => new HubError(ErrorCode.GithubInstallationAccessDenied, 'User does not have access to the provided installation');
export const installationLinkedElsewhere = () =>
  new HubError(ErrorCode.GithubInstallationLinkedElsewhere, 'This GitHub installation is already connected to another organization');
/** GitHub (or the `installation` webhook) says the installation is suspended: no tokens until it is unsuspended. */
export const installationSuspended = () =>
  new HubError(ErrorCode.GithubInstallationSuspended, 'The GitHub installation is suspended: no tokens are minted until it is unsuspended');
/** The `installation` webhook said the app was uninstalled. */
export const installationDeleted = () =>
  new HubError(ErrorCode.GithubInstallationDeleted, 'The GitHub App was uninstalled from this installation: no tokens are minted for it');
/** 422 before GitHub is asked: GitHub's permission levels are read, write and admin. */
export const invalidPermissionLevel = (permission: string) =>
  new HubError(ErrorCode.InvalidPermissionLevel, `Permission '${permission}' must be read, write or admin`, {
    details: [{ field: `permissions.${permission}`, errors: ['must be read, write or admin'] }],
    attr: 'permissions',
  });
/** `GET /installation/repositories` with a token this hub did not mint (or GitHub no longer accepts). */
export const installationTokenUnknown = () =>
  new HubError(ErrorCode.GithubInstallationTokenUnknown, 'Bad credentials: send an installation token this hub minted (Authorization: token <token>)', {
    headers: { 'WWW-Authenticate': 'token' },
  });
/** No installation of the organization matches a lookup by account or repository. */
export const noMatchingInstallation = () => new HubError(ErrorCode.GithubInstallationNotFound, 'No GitHub installation of this organization matches');
export const tooManyRepositories = (max: number) => new HubError(ErrorCode.TooManyRepositories, `At most ${max} repositories can be requested for one token`);

export const userLinkNotFound = () => new HubError(ErrorCode.GithubUserLinkNotFound, 'This user has not linked a GitHub account in this organization');
// PostHog face: upstream's texts (PostHog/posthog posthog/api/github_callback/team_services.py, posthog/api/integration.py).
export const linkExistingSourceTeamNotFound = () => new HubError(ErrorCode.GithubLinkExistingSourceTeamNotFound, 'Source team not found in your organization');
export const linkExistingOrphanInstallation = () =>
  new HubError(ErrorCode.GithubLinkExistingOrphanInstallation, 'No team in your organization has this GitHub installation linked');
export const linkExistingMultipleInstallations = () =>
  new HubError(ErrorCode.GithubLinkExistingMultipleInstallations, 'Your organization has multiple GitHub installations; specify which one to link via installation_id');
/** A member (not a project admin) needs a linked personal GitHub account that sees the installation. */
export const linkExistingPersonalGithubRequired = () =>
  new HubError(
    ErrorCode.GithubLinkExistingPersonalGithubRequired,
    'You must connect your personal GitHub account (via Linked Accounts) before linking an existing installation, to confirm you have access to the GitHub App installation.',
  );
/** One of upstream's plain `ValidationError(text)` answers on the PostHog face's GitHub routes. */
const posthogGithubInvalid = (text: string) => new HubError(ErrorCode.GithubRequestInvalid, text);
export const sourceTeamOrInstallationRequired = () => posthogGithubInvalid('source_team_id or installation_id is required');
export const sourceTeamWithoutGithub = () => posthogGithubInvalid('Source team does not have a GitHub integration');
export const githubOnlyEndpoint = (endpoint: string) => posthogGithubInvalid(`${endpoint} endpoint is only supported for GitHub integrations`);
export const repoFormatInvalid = () => posthogGithubInvalid('repo must be in owner/repo format');
export const invalidInstallationIdText = () => posthogGithubInvalid('Invalid installation_id');
export const installationIdRequiredText = () => posthogGithubInvalid('installation_id is required');
export const relativeNextRequired = () => posthogGithubInvalid('next must be a relative path starting with /');
export const setupInstallationIdMissing = () => posthogGithubInvalid('An installation_id must be provided');
export const setupStateMissing = () => posthogGithubInvalid('A state token must be provided');
export const setupCodeMissing = () => posthogGithubInvalid('An OAuth code must be provided');
export const setupCodeExchangeFailed = () => posthogGithubInvalid('Failed to exchange the OAuth code — ensure GITHUB_APP_CLIENT_SECRET is configured');
export const setupStateInvalid = () => new HubError(ErrorCode.GithubStateInvalid, 'Invalid or expired state token');
export const setupInstallationNotVisible = () => new HubError(ErrorCode.GithubInstallationNotVisible, 'You do not have access to this GitHub installation');
export const setupInstallationVerifyFailed = () => new HubError(ErrorCode.GithubInstallationVerifyFailed, 'Failed to verify installation access');
export const repositoryRefreshFailed = () => posthogGithubInvalid('Unable to refresh GitHub repositories. Please check integration settings and try again.');
export const teamsFetchFailed = () => posthogGithubInvalid('Unable to fetch GitHub teams. Please check integration settings and try again.');

export const githubUnavailable = (status?: number) => new HubError(ErrorCode.GithubUnavailable, status === undefined ? 'GitHub could not be reached' : `GitHub answered ${status}`);
/** `answer`: what GitHub answered, e.g. "404: Not Found". */
export const githubRequestFailed = (answer: string) => new HubError(ErrorCode.GithubRequestFailed, `GitHub answered ${answer}`);
export const githubAuthFailed = () => new HubError(ErrorCode.GithubAuthFailed, 'GitHub refused the app credentials');
export const githubValidationFailed = (upstream: string) => new HubError(ErrorCode.GithubValidationFailed, `GitHub refused the request: ${upstream}`);
export const githubPermissionMissing = (permission: string) =>
  new HubError(
    ErrorCode.GithubPermissionMissing,
    `The GitHub App installation lacks a permission this needs: ${permission}. Grant it in the app's settings and accept the new permissions.`,
    { details: { permission } },
  );
export const githubRateLimited = (retryAfterSeconds: number) => providerRateLimited(RATE_LIMIT_MESSAGE, String(retryAfterSeconds));

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
    return githubUnavailable();
  }
  const headers = err.response?.headers ?? {};
  if (isRateLimited(err)) {
    return githubRateLimited(retryAfterSeconds(headers));
  }
  const upstream = githubMessage(err);
  if (err.status === 403 && /resource not accessible by integration/i.test(upstream)) {
    const permission = headers['x-accepted-github-permissions'];
    return githubPermissionMissing(permission ? String(permission) : 'unknown');
  }
  if (err.status === 403 && /suspended/i.test(upstream)) return installationSuspended();
  if (err.status === 404 && opts.notFound) return opts.notFound;
  if (err.status === 401) return githubAuthFailed();
  if (err.status === 422) return githubValidationFailed(upstream);
  if (err.status >= 500 || err.status === 0) return githubUnavailable(err.status);
  return githubRequestFailed(`${err.status}: ${upstream}`);
}

function githubMessage(err: GithubRequestError): string {
  const data = err.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message.slice(0, 300) : '';
}
