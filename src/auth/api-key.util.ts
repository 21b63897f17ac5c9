import { hash, randomBytes } from 'node:crypto';

/** Recognizable in logs and secret scanners. */
export const API_KEY_PREFIX = 'ihk_';

/** 32 random bytes, base64url: 43 characters of key material behind the prefix. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 in hex, through the one-shot `crypto.hash` (a third of `createHash().update().digest()`'s cost: once a request). */
export function hashApiKey(value: string): string {
  return hash('sha256', value, 'hex');
}

export function maskApiKey(value: string): string {
  const prefix = value.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX : value.slice(0, 4);
  return `${prefix}...${value.slice(-4)}`;
}

/** A bearer value we will even look up; anything else is rejected without touching the database. */
export function isPlausibleApiKey(value: string): boolean {
  if (value.length < 32 || value.length > 256) return false;
  // Visible ASCII only (0x21-0x7e), checked in one pass: this runs on every authenticated request.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * The credential of an `Authorization` header in either scheme GitHub accepts, `Bearer <key>` or `token <key>`,
 * the scheme matched case-insensitively (octokit sends `token` for any non-JWT string). Surrounding whitespace
 * and runs of spaces after the scheme are tolerated; anything else, including a second word, answers null.
 * Called on every authenticated request: native `indexOf` scans and one slice, no regular expression.
 */
export function credentialFromAuthorization(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  let start = 0;
  let end = header.length;
  while (start < end && isSpace(header.charCodeAt(start))) start++;
  while (end > start && isSpace(header.charCodeAt(end - 1))) end--;
  let at = start + (schemeAt(header, start, 'bearer') ? 6 : schemeAt(header, start, 'token') ? 5 : 0);
  if (at === start || at >= end || !isSpace(header.charCodeAt(at))) return null;
  while (at < end && isSpace(header.charCodeAt(at))) at++;
  if (at === end || within(header.indexOf(' ', at), end) || within(header.indexOf('\t', at), end)) return null;
  return at === 0 && end === header.length ? header : header.slice(at, end);
}

function within(index: number, end: number): boolean {
  return index !== -1 && index < end;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** `scheme` (lower case ASCII) at `offset`, case-insensitively. */
function schemeAt(header: string, offset: number, scheme: string): boolean {
  if (header.length - offset < scheme.length) return false;
  for (let i = 0; i < scheme.length; i++) {
    // ASCII letters only: setting bit 0x20 lower-cases A-Z and leaves a-z unchanged.
    if ((header.charCodeAt(offset + i) | 0x20) !== scheme.charCodeAt(i)) return false;
  }
  return true;
}
