import { createPrivateKey, createPublicKey, KeyObject, sign } from 'node:crypto';

/** RFC 3986 percent-encoding (unreserved characters only stay as they are). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `k=v&...` sorted by name, RFC 3986 encoded: built once, signed as is, never re-serialized. */
export function buildQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(params[name])}`)
    .join('&');
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the exact string; standard base64 with padding, percent-encoded. */
export function signQuery(query: string, privateKey: KeyObject | string): string {
  const signature = sign('sha256', Buffer.from(query, 'utf8'), privateKey).toString('base64');
  return encodeURIComponent(signature);
}

export interface ApplyUrlInput {
  urlSyncUX: string;
  providerId: string;
  serviceId: string;
  /** The zone apex. */
  domain: string;
  /** Omitted (or empty) at the apex. */
  host?: string;
  variables: Record<string, string>;
  redirectUri?: string;
  keyId: string;
  privateKey: KeyObject | string;
}

/** The synchronous-flow apply URL: `...apply?<sorted query>&sig=<sig>&key=<keyId>`; `key` is not signed. */
export function buildApplyUrl(input: ApplyUrlInput): string {
  const params: Record<string, string> = { ...input.variables, domain: input.domain };
  if (input.host) params.host = input.host;
  if (input.redirectUri) params.redirect_uri = input.redirectUri;
  const query = buildQuery(params);
  const base = `${input.urlSyncUX.replace(/\/+$/, '')}/v2/domainTemplates/providers/${rfc3986(input.providerId)}/services/${rfc3986(input.serviceId)}/apply`;
  return `${base}?${query}&sig=${signQuery(query, input.privateKey)}&key=${rfc3986(input.keyId)}`;
}

/** Largest `d=` chunk in one TXT record. */
export const PUBLIC_KEY_CHUNK = 200;

/** The TXT records that publish the public key (`p=N,a=RS256,d=<chunk>`), in order. */
export function publicKeyRecords(privateKeyPem: string): string[] {
  const spki = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
  const records: string[] = [];
  for (let i = 0; i < spki.length; i += PUBLIC_KEY_CHUNK) {
    records.push(`p=${records.length + 1},a=RS256,d=${spki.slice(i, i + PUBLIC_KEY_CHUNK)}`);
  }
  return records;
}
