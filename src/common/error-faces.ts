import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpError, internalError } from './common.errors';
import { codeForStatus } from './error-codes';
import type { NormalizedError, RenderError } from './faces/error-face';
import { renderGithubError, renderGithubPreviewError } from './faces/github.face';
import { renderHubError } from './faces/hub.face';
import { renderInfisicalError } from './faces/infisical.face';
import { renderPosthogError } from './faces/posthog.face';
import { routeUrlOf } from './fastify-route';
import { HubError } from './hub-error';

export type { NormalizedError } from './faces/error-face';

/** The API dialects whose error bodies differ; each renders through its own table under faces/. */
const FACES = {
  hub: renderHubError,
  posthog: renderPosthogError,
  infisical: renderInfisicalError,
  github: renderGithubError,
  'github-preview': renderGithubPreviewError,
} satisfies Record<string, RenderError>;

export type ErrorFace = keyof typeof FACES;

/** Turns anything thrown into a catalog error. Unknown errors are 500 and never leak details. */
export function toHubError(err: unknown, logger: Logger): HubError {
  if (err instanceof HubError) return err;
  if (err instanceof HttpException) {
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? err.message);
    return httpError(codeForStatus(err.getStatus()), Array.isArray(message) ? message.join('; ') : String(message));
  }
  // Fastify's own errors (body too large, bad content type, malformed JSON) carry statusCode and code.
  const fastifyErr = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyErr?.statusCode === 'number' && fastifyErr.statusCode >= 400 && fastifyErr.statusCode < 500) {
    const message =
      fastifyErr.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body is larger than 1 MiB'
        : fastifyErr.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type; send application/json'
          : (fastifyErr.message ?? 'Bad request');
    return httpError(codeForStatus(fastifyErr.statusCode), message);
  }
  logger.error({ err }, 'unhandled error');
  return internalError();
}

export function normalizeError(err: unknown, logger: Logger): NormalizedError {
  const e = toHubError(err, logger);
  return { status: e.status, code: e.code, message: e.message, details: e.details, attr: e.attr, headers: e.headers, issues: e.issues };
}

/** Renders a normalized error in a face's body shape. */
export function renderError(face: ErrorFace, e: NormalizedError, requestId: string): ReturnType<RenderError> {
  return FACES[face](e, requestId);
}

/** A request that ended in a server-side or upstream failure (5xx): its code and reason, for the request's log line. */
export type FailedRequest = FastifyRequest & { failure?: { code: string; message: string } };

/**
 * Path prefixes every route under which speaks one face: a request there that matched no route (a client's typo,
 * `./` collapsed by its URL parser) gets that face's body too, as the real API would answer it.
 */
const UNMATCHED_FACES: ReadonlyArray<readonly [prefix: string, face: ErrorFace]> = [['/api/v1/app-connections', 'infisical']];

/** The face of a request that matched no route, by its path's prefix; the hub's otherwise. */
export function unmatchedFace(url: string): ErrorFace {
  for (const [prefix, face] of UNMATCHED_FACES) {
    const next = url.charCodeAt(prefix.length);
    // The prefix itself, or followed by `/` or `?` (`/api/v1/app-connectionsx` is not under it).
    if (url.startsWith(prefix) && (Number.isNaN(next) || next === 0x2f || next === 0x3f)) return face;
  }
  return 'hub';
}

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
    if (normalized.status >= 500) (request as FailedRequest).failure = { code: normalized.code, message: normalized.message };
    // The global filter (the hub's) also answers requests no route matched: those under a face's prefix get its body.
    const face = this.face === 'hub' && routeUrlOf(request) === undefined ? unmatchedFace(request.url) : this.face;
    const { status, body, headers } = renderError(face, normalized, String(request.id));
    if (normalized.headers) reply.headers(normalized.headers);
    if (headers) reply.headers(headers);
    void reply.status(status).send(body);
  }
}
