import { ErrorCode } from './error-codes';
import { HubError, HubErrorOptions } from './hub-error';

/** Errors any module may raise: bad input, a provider's rate limit, an unreachable upstream, framework failures. */
export const validationFailed = (message: string, options: Pick<HubErrorOptions, 'details' | 'attr' | 'issues'> = {}) => new HubError(ErrorCode.ValidationFailed, message, options);
export const malformedJson = (message: string) => new HubError(ErrorCode.MalformedJson, message);
export const bodyTooComplex = (message: string) => new HubError(ErrorCode.BodyTooComplex, message);
export const uriTooLong = () => new HubError(ErrorCode.UriTooLong, 'A path parameter is longer than 256 characters');
export const badRequestPath = () => new HubError(ErrorCode.BadRequest, 'The request path is not valid');
export const invalidUrl = (message: string) => new HubError(ErrorCode.InvalidUrl, message);
/** What a 503 caused by a Redis outage tells the client to wait. */
export const REDIS_RETRY_AFTER_SECONDS = 5;
/** 503 with Retry-After: the operation needs Redis (the queue, a shared lock) and Redis is unreachable. */
export const serviceUnavailable = (what: string) =>
  new HubError(ErrorCode.ServiceUnavailable, `${what} is temporarily unavailable; retry shortly`, { headers: { 'Retry-After': String(REDIS_RETRY_AFTER_SECONDS) } });
/** 429 with Retry-After: the provider (GitHub, Slack, ...) is limiting us, so our caller must wait too. */
export const providerRateLimited = (message: string, retryAfterSeconds: string) =>
  new HubError(ErrorCode.ProviderRateLimited, message, { headers: { 'retry-after': retryAfterSeconds } });
export const upstreamUnreachable = (host: string, reason: string) => new HubError(ErrorCode.UpstreamUnreachable, `Could not reach ${host}: ${reason}`);
/** What the framework or Fastify refused (unknown route, body too large, ...), under the status's generic code. */
export const httpError = (code: ErrorCode, message: string) => new HubError(code, message);
export const internalError = () => new HubError(ErrorCode.InternalError, 'Internal server error');
/** DRF's MethodNotAllowed text: an operation the dialect's resource does not offer. */
export const methodNotAllowed = (method: string) => new HubError(ErrorCode.MethodNotAllowed, `Method "${method}" not allowed.`);
