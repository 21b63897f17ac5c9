/** The JSON a response body was already serialized to, carried under a symbol (which JSON.stringify ignores). */
const JSON_TEXT = Symbol('preserializedJson');

/**
 * From this length on a preserialized body is held as its UTF-8 bytes: the reply then neither measures nor encodes
 * the text again per request (Fastify's `Buffer.byteLength`, and Node's length scan and copy of header and body into
 * one string before the write). Shorter bodies stay strings, which Node writes together with the head in one piece.
 */
export const PRESERIALIZED_BYTES_FROM = 1024;

/**
 * The payload to keep for a JSON text (JSON.stringify's, or pieces of it) that is sent many times: its bytes when it
 * is long, else the text as one flat string. A text joined from pieces is a rope, and Node would walk the rope
 * again each time it copies head and body into one string for the write; JSON.stringify's output is well-formed
 * UTF-16, so the round trip through UTF-8 gives the same text, flat.
 */
export function jsonPayload(json: string): string | Buffer {
  const bytes = Buffer.from(json, 'utf8');
  return json.length >= PRESERIALIZED_BYTES_FROM ? bytes : bytes.toString('utf8');
}

/**
 * Marks a response body with the JSON it serializes to (a text, or its UTF-8 bytes from `jsonPayload`), for bodies
 * whose larger parts are constant across requests (a cached token's permissions and repositories): the reply
 * serializer sends it instead of walking the object again. It must be what `JSON.stringify(body)` gives; the body
 * must not change after.
 */
export function preserialized<T extends object>(body: T, json: string | Buffer): T {
  (body as Record<symbol, unknown>)[JSON_TEXT] = json;
  return body;
}

/**
 * Fastify's reply serializer (routes without response schemas): a preserialized body's text or bytes,
 * JSON.stringify otherwise. Fastify sends either as it is, with the JSON content type `send` already set.
 */
export function serializeReply(payload: unknown): string | Buffer {
  const json = payload !== null && typeof payload === 'object' ? (payload as Record<symbol, unknown>)[JSON_TEXT] : undefined;
  return typeof json === 'string' || json instanceof Buffer ? json : JSON.stringify(payload);
}
