import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from './hub-error';

/** The API dialects whose error bodies differ. */
export type ErrorFace = 'hub' | 'posthog' | 'infisical';

export interface NormalizedError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  attr?: string;
  headers?: Record<string, string>;
}

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
};

/** Turns anything thrown into a status, code and safe message. Unknown errors are 500 and never leak details. */
export function normalizeError(err: unknown, logger: Logger): NormalizedError {
  if (err instanceof HubError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details, attr: err.attr, headers: err.headers };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? err.message);
    return {
      status,
      code: STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR'),
      message: Array.isArray(message) ? message.join('; ') : String(message),
    };
  }
  // Fastify's own errors (body too large, bad content type, malformed JSON) carry statusCode and code.
  const fastifyErr = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyErr?.statusCode === 'number' && fastifyErr.statusCode >= 400 && fastifyErr.statusCode < 500) {
    const status = fastifyErr.statusCode;
    const message =
      fastifyErr.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body is larger than 1 MiB'
        : fastifyErr.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type; send application/json'
          : (fastifyErr.message ?? 'Bad request');
    return { status, code: STATUS_CODES[status] ?? 'BAD_REQUEST', message };
  }
  logger.error({ err }, 'unhandled error');
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal server error' };
}

const POSTHOG_TYPES: Record<number, string> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'authentication_error',
  404: 'invalid_request',
  409: 'invalid_request',
  413: 'invalid_request',
  422: 'validation_error',
  429: 'throttled_error',
};

/** Renders a normalized error in a face's body shape. */
export function renderError(face: ErrorFace, e: NormalizedError, requestId: string): { status: number; body: unknown } {
  switch (face) {
    case 'posthog':
      return {
        status: e.status,
        body: {
          type: POSTHOG_TYPES[e.status] ?? (e.status >= 500 ? 'server_error' : 'invalid_request'),
          code: e.code.toLowerCase(),
          detail: e.message,
          attr: e.attr ?? null,
        },
      };
    case 'infisical': {
      // Infisical reports schema failures as 422 ValidationFailure.
      const status = e.code === 'VALIDATION_FAILED' ? 422 : e.status;
      const error = status === 422 ? 'ValidationFailure' : (HTTP_REASONS[status] ?? 'Error');
      return { status, body: { reqId: requestId, statusCode: status, message: e.message, error } };
    }
    default:
      return {
        status: e.status,
        body: {
          statusCode: e.status,
          code: e.code,
          message: e.message,
          // A provider's rate limit also carries the `detail` field GitHub- and TinyOps-style callers read.
          ...(isProviderRateLimit(e) ? { detail: e.message } : {}),
          ...(e.details !== undefined ? { details: e.details } : {}),
          requestId,
        },
      };
  }
}

function isProviderRateLimit(e: NormalizedError): boolean {
  return e.status === 429 && e.code === 'rate_limited';
}

const HTTP_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'UnauthorizedError',
  403: 'PermissionDenied',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  429: 'RateLimitExceeded',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** One filter class, instantiated per face; controllers pick theirs with `@ApiFace(...)`. */
@Catch()
export class FaceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  constructor(private readonly face: ErrorFace = 'hub') {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const normalized = normalizeError(exception, this.logger);
    const { status, body } = renderError(this.face, normalized, String(request.id));
    if (normalized.headers) reply.headers(normalized.headers);
    void reply.status(status).send(body);
  }
}
