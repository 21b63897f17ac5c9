import { ErrorCode } from '../error-codes';
import type { RenderError } from './error-face';

/** Codes whose body also carries `detail` (the same text as `message`), which GitHub- and TinyOps-style callers read. */
const WITH_DETAIL: ReadonlySet<ErrorCode> = new Set([ErrorCode.ProviderRateLimited]);

/** Codes the hub's own face spells as another: it answers a missing key exactly as a bad one. */
const SPELLED_AS: Readonly<Partial<Record<ErrorCode, ErrorCode>>> = { [ErrorCode.CredentialsMissing]: ErrorCode.Unauthenticated };

/** The hub's own body: `{statusCode, code, message, detail?, details?, requestId}`. */
export const renderHubError: RenderError = (e, requestId) => ({
  status: e.status,
  body: {
    statusCode: e.status,
    code: SPELLED_AS[e.code] ?? e.code,
    message: e.message,
    ...(WITH_DETAIL.has(e.code) ? { detail: e.message } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
    requestId,
  },
});
