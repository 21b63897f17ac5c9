import { createPrivateKey, createSign, KeyObject } from 'node:crypto';

/** GitHub refuses JWTs whose lifetime exceeds 10 minutes. */
const MAX_LIFETIME_S = 600;
/** Backdated against clock drift, as GitHub recommends. */
const BACKDATE_S = 60;

/** Parses the app's private key: PEM in PKCS#1 (`BEGIN RSA PRIVATE KEY`, GitHub's download) or PKCS#8. */
export function loadAppPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem.trim(), format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error('GITHUB_APP_PRIVATE_KEY must be an RSA key');
  return key;
}

export interface AppJwt {
  jwt: string;
  /** Epoch ms after which GitHub refuses it. */
  expiresAtMs: number;
}

/** An RS256 app JWT: `iat` backdated 60 s, `exp` 9 minutes ahead (10 minutes after `iat`), `iss` the app or client id. */
export function signAppJwt(key: KeyObject, issuer: string, nowMs = Date.now()): AppJwt {
  const now = Math.floor(nowMs / 1000);
  const iat = now - BACKDATE_S;
  const exp = iat + MAX_LIFETIME_S;
  const header = b64url({ alg: 'RS256', typ: 'JWT' });
  const payload = b64url({ iat, exp, iss: /^\d+$/.test(issuer) ? Number(issuer) : issuer });
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key).toString('base64url');
  return { jwt: `${header}.${payload}.${signature}`, expiresAtMs: exp * 1000 };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
