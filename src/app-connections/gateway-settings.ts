// Kept free of Nest imports: the configuration check at start-up runs it before the framework loads.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses GATEWAYS (JSON object: gateway uuid -> http(s) proxy URL); throws naming the variable when invalid. */
export function parseGateways(text: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('GATEWAYS: must be a JSON object of gateway id -> HTTP proxy URL');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('GATEWAYS: must be a JSON object of gateway id -> HTTP proxy URL');
  const gateways = new Map<string, string>();
  for (const [id, url] of Object.entries(parsed as Record<string, unknown>)) {
    if (!UUID.test(id)) throw new Error(`GATEWAYS: gateway id '${id}' must be a uuid`);
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+\/?$/.test(url)) throw new Error(`GATEWAYS: gateway '${id}' must map to an http(s)://host:port proxy URL`);
    gateways.set(id.toLowerCase(), url);
  }
  return gateways;
}
