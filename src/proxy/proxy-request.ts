import type { IncomingHttpHeaders } from 'node:http';
import { proxyHeaderInvalid, proxyPathRefused } from './proxy.errors';

/** RFC 9110 §7.6.1 connection-specific fields, plus the proxy ones: never forwarded in either direction. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Caller headers that carry the caller's own credential or identity, or describe the hop to the hub. */
const REQUEST_DROPPED = new Set([
  'host',
  'authorization',
  'cookie',
  'private-token',
  'x-api-key',
  'x-organization-id',
  'x-request-id',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'expect',
]);

/** Provider headers that set or ask for credentials: the caller never sees the provider's authentication. */
const RESPONSE_DROPPED = new Set(['set-cookie', 'www-authenticate', 'authentication-info', 'x-request-id']);

export const MAX_RETRIES = 5;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** Default retries of a 429/5xx answer when the caller sends no X-Hub-Retries. */
const DEFAULT_IDEMPOTENT_RETRIES = 2;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Backslashes (read as `/` by some servers) and control characters, which no provider path needs. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\\u0000-\u001f\u007f]/;
const PROXY_PREFIX = /^\/+api\/+proxy\/+[^/?#]+/;

export interface SplitUrl {
  /** `/api/proxy/{integration_id}` as the caller wrote it. */
  prefix: string;
  /** Percent-encoded, as the caller sent it; empty or starting with `/`. */
  path: string;
  /** Without the `?`; empty when there is none. */
  query: string;
}

/** The part of the request URL after `/api/proxy/{integration_id}`, kept percent-encoded. */
export function splitProxyUrl(rawUrl: string): SplitUrl {
  const prefix = PROXY_PREFIX.exec(rawUrl);
  if (!prefix) throw proxyPathRefused('not a proxy URL');
  const rest = rawUrl.slice(prefix[0].length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  // `/api/proxy/{id}/` is the provider base itself (a Discord webhook's execute URL takes no trailing slash).
  return { prefix: prefix[0], path: path === '/' ? '' : path, query: q < 0 ? '' : rest.slice(q + 1) };
}

/**
 * The provider URL for a proxied path: always beneath the base's origin and path. Refuses what could leave it or be
 * read differently by the provider: absolute URLs, `.`/`..` segments (also percent-encoded, also hidden behind an
 * encoded slash), empty segments, backslashes, control characters and malformed escapes.
 */
export function targetUrl(baseUrl: string, { path, query }: Pick<SplitUrl, 'path' | 'query'>): URL {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (UNSAFE.test(path) || /%5c/i.test(path)) throw proxyPathRefused('backslashes and control characters are not allowed');
  const segments = path.split('/').slice(1);
  if (segments.length > 0 && SCHEME.test(segments[0])) throw proxyPathRefused('absolute URLs are not allowed');
  segments.forEach((segment, i) => {
    if (segment === '' && i < segments.length - 1) throw proxyPathRefused('empty path segments are not allowed');
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw proxyPathRefused('malformed percent-encoding');
    }
    if (UNSAFE.test(decoded)) throw proxyPathRefused('backslashes and control characters are not allowed');
    if (decoded.split('/').some((part) => part === '.' || part === '..')) throw proxyPathRefused("'.' and '..' segments are not allowed");
  });
  const url = new URL(`${base.origin}${basePath}${path}${query ? `?${query}` : ''}`);
  if (url.origin !== base.origin || (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`) && !(basePath === '' && url.pathname === '/'))) {
    throw proxyPathRefused('the path leaves the provider base');
  }
  return url;
}

/** Header names the `Connection` header lists: hop-by-hop for this message only. */
function connectionListed(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The caller's headers worth forwarding: no hop-by-hop, no credentials, no hub control headers (`X-Hub-*`). */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || REQUEST_DROPPED.has(name) || listed.has(name) || name.startsWith('x-hub-')) continue;
    out[name] = value;
  }
  return out;
}

/** The provider's headers passed back (Link, ETag, X-RateLimit-*, ...): no hop-by-hop and no authentication. */
export function returnedResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || RESPONSE_DROPPED.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `X-Hub-Retries`: retries of a 429/5xx answer, 0..5; by default 2 for idempotent methods and 0 for the others. */
export function retriesFor(method: string, headers: IncomingHttpHeaders): number {
  const value = single(headers, 'x-hub-retries');
  if (value === undefined) return IDEMPOTENT.has(method) ? DEFAULT_IDEMPOTENT_RETRIES : 0;
  if (!/^\d$/.test(value.trim()) || Number(value) > MAX_RETRIES) throw proxyHeaderInvalid('X-Hub-Retries', `an integer from 0 to ${MAX_RETRIES}`);
  return Number(value);
}

export interface GithubNarrowing {
  repositories?: string[];
  permissions?: Record<string, string>;
}

/**
 * `X-Hub-Github-Repositories: api,web` and `X-Hub-Github-Permissions: issues=write,contents=read`: the installation
 * token of the call is narrowed to them, as the broker's `repositories` and `permissions` fields do.
 */
export function githubNarrowing(headers: IncomingHttpHeaders): GithubNarrowing | null {
  const repos = single(headers, 'x-hub-github-repositories');
  const perms = single(headers, 'x-hub-github-permissions');
  if (repos === undefined && perms === undefined) return null;
  const narrowing: GithubNarrowing = {};
  if (repos !== undefined) {
    const names = repos.split(',').map((r) => r.trim()).filter(Boolean);
    if (names.length === 0 || names.some((n) => !/^[A-Za-z0-9._-]{1,100}$/.test(n))) {
      throw proxyHeaderInvalid('X-Hub-Github-Repositories', 'a comma-separated list of repository names (without the owner)');
    }
    narrowing.repositories = names;
  }
  if (perms !== undefined) {
    const entries = perms.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.split('=').map((s) => s.trim()));
    if (entries.length === 0 || entries.some((e) => e.length !== 2 || !/^[a-z_]{1,64}$/.test(e[0]) || !/^(read|write|admin)$/.test(e[1]))) {
      throw proxyHeaderInvalid('X-Hub-Github-Permissions', 'a comma-separated list of permission=read|write|admin');
    }
    narrowing.permissions = Object.fromEntries(entries);
  }
  return narrowing;
}

/**
 * The path as a low-cardinality template for logs: numbers, uuids, long hex ids and opaque tokens become `{id}`.
 * The query is never logged (it can carry secrets).
 */
export function pathTemplate(path: string): string {
  if (!path || path === '/') return '/';
  return path
    .split('/')
    .map((s) => (/^\d+$/.test(s) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) || /^[0-9a-f]{16,}$/i.test(s) || /^[A-Za-z0-9_-]{32,}$/.test(s) ? '{id}' : s))
    .join('/');
}

/**
 * A redirect's Location beneath the provider base is rewritten to the same place through the proxy, so following it
 * keeps the credential with the hub; any other Location is returned as is and the hub never follows it.
 */
export function rewriteLocation(location: string, target: URL, baseUrl: string, proxyBase: string): string {
  let resolved: URL;
  try {
    resolved = new URL(location, target);
  } catch {
    return location;
  }
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (resolved.origin !== base.origin || !(resolved.pathname === basePath || resolved.pathname.startsWith(`${basePath}/`))) return location;
  return `${proxyBase}${resolved.pathname.slice(basePath.length)}${resolved.search}`;
}
