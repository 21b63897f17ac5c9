import { ErrorCode } from './error-codes';
import { HubError, HubErrorOptions } from './hub-error';

/** Errors any module may raise: bad input, a provider's rate limit, an unreachable upstream, framework failures. */
export const validationFailed = (message: string, options: Pick<HubErrorOptions, 'details' | 'attr' | 'issues'> = {}) => new HubError(ErrorCode.ValidationFailed, message, options);
export const malformedJson = (message: string) => new HubError(ErrorCode.MalformedJson, message);
/** 429 with Retry-After: the provider (GitHub, Slack, ...) is limiting us, so our caller must wait too. */
export const providerRateLimited = (message: string, retryAfterSeconds: string) =>
  new HubError(ErrorCode.ProviderRateLimited, message, { headers: { 'retry-after': retryAfterSeconds } });
export const upstreamUnreachable = (host: string, reason: string) => new HubError(ErrorCode.UpstreamUnreachable, `Could not reach ${host}: ${reason}`);
/** What the framework or Fastify refused (unknown route, body too large, ...), under the status's generic code. */
export const httpError = (code: ErrorCode, message: string) => new HubError(code, message);
export const internalError = () => new HubError(ErrorCode.InternalError, 'Internal server error');
/** DRF's MethodNotAllowed text: an operation the dialect's resource does not offer. */
export const methodNotAllowed = (method: string) => new HubError(ErrorCode.MethodNotAllowed, `Method "${method}" not allowed.`);
