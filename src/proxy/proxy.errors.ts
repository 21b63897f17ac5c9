import { HubError } from '../common/hub-error';

/** The path would leave the provider's base (an absolute URL, a `..` or `.` segment, an empty segment, a backslash). */
export const proxyPathRefused = (reason: string) => new HubError(400, 'PROXY_PATH_REFUSED', `The proxied path is refused: ${reason}`, undefined, 'path');

/** An `X-Hub-*` control header the proxy cannot read. */
export const proxyHeaderInvalid = (header: string, expected: string) => new HubError(400, 'PROXY_HEADER_INVALID', `${header} must be ${expected}`, undefined, header);

/** The integration's provider has no API the proxy can reach (email sender domains). */
export const proxyNotSupported = (provider: string) => new HubError(400, 'PROXY_NOT_SUPPORTED', `The ${provider} provider has no API to proxy`);

/** The integration is disconnected or disabled: its credential is not used. */
export const proxyIntegrationUnavailable = (state: string) => new HubError(409, 'INTEGRATION_NOT_CONNECTED', `The integration is ${state}: reconnect or enable it first`);

/** The integration's own limits (PROXY_MAX_CONCURRENCY, PROXY_MAX_REQUESTS_PER_SECOND) are reached. */
export const proxyLimited = (retryAfterSeconds: number, what: string) =>
  new HubError(429, 'rate_limited', `The integration's proxy ${what} limit is reached; retry after ${retryAfterSeconds} seconds`, undefined, undefined, {
    'retry-after': String(retryAfterSeconds),
  });

/** The outbound guard refused the provider's address (private, loopback, link-local or metadata). */
export const proxyDestinationRefused = (message: string) => new HubError(502, 'PROXY_DESTINATION_REFUSED', message);

export const proxyUpstreamUnreachable = (host: string, reason: string) => new HubError(502, 'UPSTREAM_UNREACHABLE', `Could not reach ${host}: ${reason}`);

export const proxyUpstreamTimeout = (host: string) => new HubError(504, 'UPSTREAM_TIMEOUT', `${host} did not answer in time`);
