import type { FastifyInstance, FastifyRequest } from 'fastify';

export const MAX_BODY_BYTES = 1024 * 1024;

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer; bodyParseError?: string };

/**
 * Parses JSON bodies but defers a parse failure: the guard must answer 401/403 before the body is judged,
 * so the error is raised after authorization (by AuthzGuard). The raw bytes are kept for
 * signature checks (webhooks).
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(;.*)?$/i,
    { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
    (request: RequestWithRawBody, body: Buffer, done) => {
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch (err) {
        request.bodyParseError = `Malformed JSON body: ${(err as Error).message}`;
        done(null, undefined);
      }
    },
  );
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}
