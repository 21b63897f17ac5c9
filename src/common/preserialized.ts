/** The JSON a response body was already serialized to, carried under a symbol (which JSON.stringify ignores). */
const JSON_TEXT = Symbol('preserializedJson');

/**
 * From this length on a preserialized body is held as its UTF-8 bytes: the reply then neither measures nor encodes
 * the text again per request (Fastify's `Buffer.byteLength`, and Node's length scan and copy of header and body into
 * one string before the write). Shorter bodies stay strings, which Node writes together with the head in one piece.
 */
export const PRESERIALIZED_BYTES_FROM = 1024;

/** The payload to keep for a JSON text that is sent many times: its bytes when it is long, the text otherwise. */
export function jsonPayload(json: string): string | Buffer {
  return json.length >= PRESERIALIZED_BYTES_FROM ? Buffer.from(json, 'utf8') : json;
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
