import { ErrorCode } from '../error-codes';
import type { RenderError } from './error-face';

/** Infisical's error name for each status (backend/src/server/plugins/error-handler.ts). */
const NAME_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'UnauthorizedError',
  403: 'PermissionDenied',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  422: 'ValidationFailure',
  429: 'RateLimitExceeded',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** How Infisical answers a hub code when it differs from the status's name: its own status and error name. */
interface InfisicalSpelling {
  status: number;
  error: string;
}

/** The Infisical face's table; any code not listed keeps the catalog's status and that status's name. */
export const INFISICAL_ERRORS: Readonly<Partial<Record<ErrorCode, InfisicalSpelling>>> = {
  // Infisical reports schema failures (zod) as 422 ValidationFailure.
  [ErrorCode.ValidationFailed]: { status: 422, error: 'ValidationFailure' },
};

/** Infisical's body: `{reqId, statusCode, message, error}`. */
export const renderInfisicalError: RenderError = (e, requestId) => {
  const spelling = INFISICAL_ERRORS[e.code];
  const status = spelling?.status ?? e.status;
  const error = spelling?.error ?? NAME_BY_STATUS[status] ?? 'Error';
  return { status, body: { reqId: requestId, statusCode: status, message: e.message, error } };
};
