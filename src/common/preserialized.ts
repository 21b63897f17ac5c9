/** The JSON a response body was already serialized to, carried under a symbol (which JSON.stringify ignores). */
const JSON_TEXT = Symbol('preserializedJson');

/**
 * Marks a response body with the JSON text it serializes to, for bodies whose larger parts are constant across
 * requests (a cached token's permissions and repositories): the reply serializer sends the text instead of
 * walking the object again. The text must be what `JSON.stringify(body)` gives; the body must not change after.
 */
export function preserialized<T extends object>(body: T, json: string): T {
  (body as Record<symbol, unknown>)[JSON_TEXT] = json;
  return body;
}

/** Fastify's reply serializer (routes without response schemas): a preserialized body's text, JSON.stringify otherwise. */
export function serializeReply(payload: unknown): string {
  const text = payload !== null && typeof payload === 'object' ? (payload as Record<symbol, unknown>)[JSON_TEXT] : undefined;
  return typeof text === 'string' ? text : JSON.stringify(payload);
}
