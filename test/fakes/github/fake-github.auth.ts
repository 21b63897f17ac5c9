import { createVerify, KeyObject } from 'node:crypto';

export class FakeAuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * Verifies an app JWT the way GitHub does: RS256 signed by the app's key, `iss` the app id or client id,
 * `iat` not in the future (60 s skew), `exp` in the future and at most 10 minutes after `iat`.
 */
export function verifyAppJwt(jwt: string, publicKey: KeyObject, issuers: string[], nowMs = Date.now()): void {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new FakeAuthError(401, 'A JSON web token could not be decoded');
  const [h, p, sig] = parts;
  let header: { alg?: string };
  let payload: { iat?: number; exp?: number; iss?: string | number };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw new FakeAuthError(401, 'A JSON web token could not be decoded');
  }
  if (header.alg !== 'RS256') throw new FakeAuthError(401, 'A JSON web token could not be decoded');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  if (!verifier.verify(publicKey, Buffer.from(sig, 'base64url'))) {
    throw new FakeAuthError(401, 'A JSON web token could not be decoded');
  }
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > now + 60) throw new FakeAuthError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past.");
  if (typeof payload.exp !== 'number' || payload.exp <= now) throw new FakeAuthError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
  if (payload.exp - payload.iat > 600 || payload.exp > now + 600) throw new FakeAuthError(401, "'Expiration time' claim ('exp') is too far in the future");
  if (payload.iss === undefined || !issuers.includes(String(payload.iss))) throw new FakeAuthError(401, "'Issuer' claim ('iss') must be an Integer");
}

/** `Authorization: Bearer x` or `token x` → x. */
export function credentialOf(header: string | undefined): string | null {
  const m = /^(?:bearer|token)\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1] : null;
}
