import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

/** The path would leave the provider's base (an absolute URL, a `..` or `.` segment, an empty segment, a backslash). */
export const proxyPathRefused = (reason: string) => new HubError(ErrorCode.ProxyPathRefused, `The proxied path is refused: ${reason}`, { attr: 'path' });

/** An `X-Hub-*` control header the proxy cannot read. */
export const proxyHeaderInvalid = (header: string, expected: string) => new HubError(ErrorCode.ProxyHeaderInvalid, `${header} must be ${expected}`, { attr: header });

/** The integration's provider has no API the proxy can reach (email sender domains). */
export const proxyNotSupported = (provider: string) => new HubError(ErrorCode.ProxyNotSupported, `The ${provider} provider has no API to proxy`);

/** The integration is disconnected: it has no credential to use. */
export const proxyIntegrationDisconnected = () => new HubError(ErrorCode.IntegrationNotConnected, 'The integration is disconnected: reconnect it first');

/** The integration's own limits (PROXY_MAX_CONCURRENCY, PROXY_MAX_REQUESTS_PER_SECOND) are reached. */
export const proxyLimited = (retryAfterSeconds: number, what: string) =>
  new HubError(ErrorCode.ProviderRateLimited, `The integration's proxy ${what} limit is reached; retry after ${retryAfterSeconds} seconds`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** The outbound guard refused the provider's address (private, loopback, link-local or metadata). */
export const proxyDestinationRefused = (message: string) => new HubError(ErrorCode.ProxyDestinationRefused, message);

/** The caller's request body ended early (it disconnected or sent less than its Content-Length). */
export const proxyBodyIncomplete = () => new HubError(ErrorCode.BadRequest, 'The request body ended before it was complete');

export const proxyUpstreamTimeout = (host: string) => new HubError(ErrorCode.UpstreamTimeout, `${host} did not answer in time`);
