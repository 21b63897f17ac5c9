import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer; bodyParseError?: string };

/**
 * Route config (`@RouteConfig(STREAMED_BODY)`) of routes that read the request stream themselves (the provider
 * proxy): no parser consumes or limits their body, whatever its content type.
 */
export const STREAMED_BODY = { streamedBody: true } as const;

function streamsBody(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { streamedBody?: boolean } | undefined)?.streamedBody === true;
}

/**
 * Parses JSON bodies but defers a parse failure: the guard must answer 401/403 before the body is judged,
 * so the error is raised after authorization (by AuthzGuard). The raw bytes are kept for
 * signature checks (webhooks). Streamed routes get their body untouched; other content types stay 415.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;.*)?$/i, (request: RequestWithRawBody, payload: IncomingMessage, done) => {
    if (streamsBody(request)) return done(null, undefined);
    collectBody(request, payload, (err, body) => {
      if (err || !body) return done(err, undefined);
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch (parseError) {
        request.bodyParseError = `Malformed JSON body: ${(parseError as Error).message}`;
        done(null, undefined);
      }
    });
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', (request: FastifyRequest, payload: IncomingMessage, done) => {
    if (streamsBody(request)) return done(null, undefined);
    collectBody(request, payload, (err, body) => (err || !body ? done(err, undefined) : done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))))));
  });
  fastify.addContentTypeParser('*', (request: FastifyRequest, _payload: IncomingMessage, done) => {
    if (streamsBody(request)) return done(null, undefined);
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
  });
}

/** Reads a whole body up to MAX_BODY_BYTES with Fastify's own errors (413 too large, 400 length mismatch). */
function collectBody(request: FastifyRequest, payload: IncomingMessage, done: (err: Error | null, body?: Buffer) => void): void {
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (err: Error | null, body?: Buffer) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(err, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_BODY_BYTES) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (!Number.isNaN(declared) && received !== declared) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    finish(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
  };
  const onError = (err: Error & { statusCode?: number }) => {
    if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
    finish(err);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}
