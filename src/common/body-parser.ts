import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { routeConfigOf } from './fastify-route';

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

/**
 * The body parsed last, when its bytes held no `\u0000` escape: JSON cannot carry a NUL character any other way (a
 * raw one is a syntax error), so no string in it holds one and the validation pipe skips its walk for NULs. One slot,
 * not a set: the pipe runs in the same tick as the parse on the hot path (a cached key), and a body whose pipe runs
 * after another parse is walked as before. (A WeakSet of such bodies cost more per request than the walk it saved.)
 */
let lastNulFreeBody: object | undefined;

/** Whether `value` is the body this parser parsed last and found no NUL escape in (see lastNulFreeBody). */
export function parsedWithoutNul(value: unknown): boolean {
  return value !== undefined && value === lastNulFreeBody;
}

/**
 * An object key of one character written as an escape (`"\u00e9":`, `"\n":`). Only a key's opening quote follows
 * `{` or `,` (a quote inside a string is escaped), and only a key is followed by `:`.
 */
const ONE_CHARACTER_ESCAPED_KEY = /[{,]\s*"\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])"\s*:/;

/**
 * A body with an object key of one character written as an escape is refused (a SyntaxError, so a 400 like any
 * malformed body): Node 24.21's V8 parses such a key as the first one of its kind the process ever parsed (after
 * `{"\\":1}`, `{"\u0041":1}` has the key `"\\"`), which would change a field name without a word. Serializers that
 * escape non-ASCII (Python's `ensure_ascii`) write one-character keys so; longer keys and every value parse right.
 */
function refuseOneCharacterEscapedKeys(text: string): void {
  // A string token that opens with an escape: every one-character escaped key does.
  if (text.indexOf('"\\') !== -1 && ONE_CHARACTER_ESCAPED_KEY.test(text)) {
    throw new SyntaxError('an object key of one character written as an escape (such as "\\u00e9") is not accepted; write the character itself');
  }
}

/**
 * JSON.parse of a body's bytes, remembered when they hold no NUL escape. Both checks look for an escape, so a body
 * without a backslash (nearly every one) skips them with one scan of the text.
 */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  const escapes = text.indexOf('\\') !== -1;
  if (escapes) refuseOneCharacterEscapedKeys(text);
  const parsed: unknown = JSON.parse(text);
  const nulFree = typeof parsed === 'object' && parsed !== null && (!escapes || text.indexOf('\\u0000') === -1);
  lastNulFreeBody = nulFree ? (parsed as object) : undefined;
  return parsed;
}

/**
 * Route config (`@RouteConfig(REPEATED_BODY)`) of routes whose callers send the same small bodies over and over (the
 * token mints: a service asks for the same narrowing on every job): such a body is parsed once, and each later request
 * with the same bytes gets its own copy of that parse. The bodies are small and carry no secrets.
 */
export const REPEATED_BODY = { repeatedBody: true } as const;

/** Bodies of REPEATED_BODY routes up to this many bytes are remembered, at most MAX_REMEMBERED_BODIES of them. */
export const MAX_REMEMBERED_BODY_BYTES = 512;
const MAX_REMEMBERED_BODIES = 1000;
/** A remembered body by its bytes (read as latin1: one character a byte, so equal texts are equal bytes). */
const rememberedBodies = new Map<string, { value: object; nulFree: boolean }>();

/**
 * A copy of a JSON value as JSON.parse would have built it: plain objects and arrays, the same keys in the same order.
 * Only for values without a `__proto__` key (an assignment would set the prototype; such bodies are not remembered).
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyJson(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy;
}

/**
 * `parseJsonBody` for a REPEATED_BODY route: a copy of the earlier parse when the same bytes came before (they passed
 * the complexity limits and the escape checks then), else the parse, remembered when the body is small, an object or
 * an array, and has no `__proto__` key. Answers undefined for a body to be parsed the usual way (too long, too complex).
 */
export function parseRepeatedJsonBody(body: Buffer): unknown {
  if (body.length > MAX_REMEMBERED_BODY_BYTES) return undefined;
  // What `toString('latin1')` calls, without its encoding lookup.
  const bytes = (body as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(0, body.length);
  const known = rememberedBodies.get(bytes);
  if (known !== undefined) {
    const value = copyJson(known.value) as object;
    lastNulFreeBody = known.nulFree ? value : undefined;
    return value;
  }
  if (jsonComplexityError(body) !== null) return undefined;
  const parsed = parseJsonBody(body);
  if (typeof parsed === 'object' && parsed !== null && !bytes.includes('__proto__')) {
    if (rememberedBodies.size >= MAX_REMEMBERED_BODIES) rememberedBodies.clear();
    rememberedBodies.set(bytes, { value: copyJson(parsed) as object, nulFree: parsedWithoutNul(parsed) });
  }
  return parsed;
}

/**
 * Whether Fastify will run a request's handler without reading a body (`handleRequest`: GET and HEAD never read one,
 * other methods only with a `transfer-encoding` or a non-zero `content-length`). Such a request is not deferred by
 * `collectBody` below, so the onRequest hook defers it (`answerInCheckPhase`).
 */
export function readsNoBody(request: IncomingMessage): boolean {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return true;
  const headers = request.headers;
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * Runs `next` (the rest of a request's handling) in the event loop's check phase rather than inside the socket's
 * read callback. The requests the poll phase read in one turn (50 connections under load: dozens) are then handled
 * one after the other and their answers written close together, as `collectBody` does for requests with a body.
 * What falls is the kernel's part of each socket write (probably fewer wake-ups of a client that had gone idle): on
 * 2026-12-04, `GET /api/users/@me` took 56 → 44 µs of CPU a request in `bench:ab` pairs, the write 14.6 → 11.3 µs
 * of it in a `perf` profile. A request whose connection closed meanwhile runs on as it would have, and its answer is
 * dropped with the socket.
 */
export function answerInCheckPhase(request: IncomingMessage, next: () => void): void {
  if (readsNoBody(request)) setImmediate(next);
  else next();
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
 * Route config (`@RouteConfig(STREAMED_BODY)`) of routes that read the request stream themselves (the provider
 * proxy): no parser consumes or limits their body, whatever its content type.
 */
export const STREAMED_BODY = { streamedBody: true } as const;

function streamsBody(request: FastifyRequest): boolean {
  return routeConfigOf(request)?.streamedBody === true;
}

function repeatsBody(request: FastifyRequest): boolean {
  return routeConfigOf(request)?.repeatedBody === true;
}

/**
 * Parses JSON bodies but defers a refusal: the guard must answer 401/403 before the body is judged (and a
 * signed webhook judges its signature first), so the error is raised after authorization (by AuthzGuard) in
 * the face's own dialect. Bodies over the depth or value limits are refused without being parsed. The raw
 * bytes are kept for signature checks (webhooks). Streamed routes get their body untouched; other content
 * types stay 415.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;.*)?$/i, (request: RequestWithRawBody, payload: IncomingMessage, done) => {
    if (streamsBody(request)) return done(null, undefined);
    collectBody(request, payload, (err, body) => {
      if (err || !body) return done(err, undefined);
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      if (repeatsBody(request)) {
        try {
          const remembered = parseRepeatedJsonBody(body);
          if (remembered !== undefined) return done(null, remembered);
        } catch {
          // Malformed: refused below, as on any route.
        }
      }
      const tooComplex = jsonComplexityError(body);
      if (tooComplex) {
        request.bodyParseError = { code: 'BODY_TOO_COMPLEX', message: tooComplex };
        return done(null, undefined);
      }
      try {
        done(null, parseJsonBody(body));
      } catch (parseError) {
        request.bodyParseError = { code: 'MALFORMED_JSON', message: `Malformed JSON body: ${(parseError as Error).message}` };
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
  if (declared > 0) {
    // A body that came in the same read as its head (a service's small JSON, nearly always) is complete and
    // buffered once the parser is done with that read, which is before the loop's check phase: taken then in one
    // read(), without flowing the stream ('data', 'end' and their ticks). Requests that arrived together are
    // answered together too, so their responses leave in one burst. A body still on its way is collected from the
    // stream's events; a request aborted meanwhile fails as it would have there.
    setImmediate(() => {
      if (payload.complete && payload.readableLength === declared && payload.readableFlowing !== true) return done(null, payload.read() as Buffer);
      if (payload.destroyed) return done(badRequest(payload.errored ?? new Error('The request was aborted')));
      collectFromEvents(payload, declared, done);
    });
    return;
  }
  collectFromEvents(payload, declared, done);
}

/** A stream's error as Fastify answers it: its own status when it carries one of 400 or more, 400 otherwise. */
function badRequest(err: Error & { statusCode?: number }): Error {
  if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
  return err;
}

function collectFromEvents(payload: IncomingMessage, declared: number, done: (err: Error | null, body?: Buffer) => void): void {
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
  const onError = (err: Error) => finish(badRequest(err));
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}
