import { createVerify, generateKeyPairSync } from 'node:crypto';
import { loadAppPrivateKey, signAppJwt } from './github-app-jwt';

describe('app JWT', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it.each([['PKCS#1', pkcs1], ['PKCS#8', pkcs8]])('accepts a %s key and signs RS256 verifiable with the public key', (_name, pem) => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const { jwt, expiresAtMs } = signAppJwt(loadAppPrivateKey(pem), '4242', now);
    const [h, p, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims).toEqual({ iat: now / 1000 - 60, exp: now / 1000 + 540, iss: 4242 });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(expiresAtMs).toBe(now + 540_000);
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('uses a client id as the issuer verbatim', () => {
    const claims = JSON.parse(Buffer.from(signAppJwt(loadAppPrivateKey(pkcs8), 'Iv1.abc').jwt.split('.')[1], 'base64url').toString());
    expect(claims.iss).toBe('Iv1.abc');
  });

  it('refuses a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadAppPrivateKey(ec)).toThrow('must be an RSA key');
  });
});
