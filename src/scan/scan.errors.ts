import { providerRateLimited } from '../common/common.errors';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export const githubNotConnected = () => new HubError(ErrorCode.GithubNotConnected, 'Connect a GitHub installation before scanning');
export const scanConflict = () => new HubError(ErrorCode.ScanConflict, 'Another scan was starting; try again');
export const scanNotRunning = () => new HubError(ErrorCode.ScanNotRunning, 'No scan is queued or running for this organization');
export const noCompletedScan = () => new HubError(ErrorCode.ScanNotFound, 'This organization has no completed scan yet');
export const scanUnreadable = (login: string, reason: string) => new HubError(ErrorCode.GithubScanUnreadable, `The repositories of '${login}' could not be read: ${reason}`);
/** An organization-level setting GitHub does not show this installation (not enabled, or not available to it). */
export const notVisible = () => new HubError(ErrorCode.GithubNotVisible, 'GitHub answered 404');
/** GitHub's GraphQL API said RATE_LIMITED (it gives no reset time: wait a minute). */
export const graphqlRateLimited = (message: string) => providerRateLimited(message, '60');
export const scanNotFound = (message: string) => new HubError(ErrorCode.ScanNotFound, message);
export const sinceInvalid = () => new HubError(ErrorCode.ScanSinceInvalid, "'since' must be a scan id or an ISO 8601 date", { attr: 'since' });
export const exemptionNotFound = () => new HubError(ErrorCode.ScanExemptionNotFound, 'No such acknowledgement or exemption');
export const exemptionExpiryInvalid = (maxDays: number) => new HubError(ErrorCode.ScanExemptionExpiryInvalid, `expiresAt must be in the future and at most ${maxDays} days ahead`, { attr: 'expiresAt' });
export const scheduleInvalid = () =>
  new HubError(ErrorCode.ScanScheduleInvalid, "cron must be five fields (minute hour day-of-month month day-of-week, UTC) that select some time, e.g. '0 3 * * 1-5'", { attr: 'cron' });
