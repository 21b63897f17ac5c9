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
