import { createHash, randomBytes } from 'node:crypto';

/** Recognizable in logs and secret scanners. */
export const API_KEY_PREFIX = 'ihk_';

/** 32 random bytes, base64url: 43 characters of key material behind the prefix. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function maskApiKey(value: string): string {
  const prefix = value.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX : value.slice(0, 4);
  return `${prefix}...${value.slice(-4)}`;
}

/** A bearer value we will even look up; anything else is rejected without touching the database. */
export function isPlausibleApiKey(value: string): boolean {
  return value.length >= 32 && value.length <= 256 && /^[\x21-\x7e]+$/.test(value);
}
