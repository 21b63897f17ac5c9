import type { FastifyInstance, FastifyRequest } from 'fastify';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper JSON than any request schema needs; past it the body is refused before it is parsed. */
export const MAX_JSON_DEPTH = 32;
/** Values (array elements and object members) in one body: bounds the parse and validation work. */
export const MAX_JSON_VALUES = 50_000;

/** Why a JSON body was refused; raised by AuthzGuard once access is settled. */
export interface BodyParseError {
  code: 'MALFORMED_JSON' | 'BODY_TOO_COMPLEX';
  message: string;
}

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer; bodyParseError?: BodyParseError };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over the bytes, outside strings, counting nesting and values. It stops at the first limit crossed,
 * so a nesting bomb costs microseconds and never reaches JSON.parse (whose recursion, and class-transformer's
 * after it, is what turned `[`×10000 into a RangeError and a 500).
 */
export function jsonComplexityError(body: Buffer, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): string | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return `JSON body is nested deeper than ${maxDepth} levels`;
      values++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA && ++values > maxValues) return `JSON body has more than ${maxValues} values`;
  }
  return null;
}

/**
 * Parses JSON bodies but defers a refusal: the guard must answer 401/403 before the body is judged (and a
 * signed webhook judges its signature first), so the error is raised after authorization (by AuthzGuard) in
 * the face's own dialect. Bodies over the depth or value limits are refused without being parsed. The raw
 * bytes are kept for signature checks (webhooks).
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(;.*)?$/i,
    { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
    (request: RequestWithRawBody, body: Buffer, done) => {
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      const tooComplex = jsonComplexityError(body);
      if (tooComplex) {
        request.bodyParseError = { code: 'BODY_TOO_COMPLEX', message: tooComplex };
        return done(null, undefined);
      }
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch (err) {
        request.bodyParseError = { code: 'MALFORMED_JSON', message: `Malformed JSON body: ${(err as Error).message}` };
        done(null, undefined);
      }
    },
  );
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}
