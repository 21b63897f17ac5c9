import { Injectable } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthDirectory } from './auth-directory';
import { credentialFromAuthorization, hashApiKeyOn, isPlausibleApiKey } from './api-key.util';
import { Principal } from './principal';

type VerifyDone = (err: Error | null, principal?: Principal | null) => void;
/** `hash`: the key's SHA-256 (hex), what keys are stored and cached by. */
type Verify = (token: string, hash: string, done: VerifyDone) => void;

/**
 * Reads `Authorization: Bearer <key>` or `Authorization: token <key>` (GitHub's two schemes, any case) and nothing
 * else: keys in the query string or body are ignored.
 */
export class BearerApiKeyPassportStrategy extends Strategy {
  name = 'api-key';
  constructor(private readonly verify: Verify) {
    super();
  }

  /** `raw.socket`: the connection (Fastify's request), whose last key's hash is remembered (hashApiKeyOn). */
  override authenticate(req: { headers: IncomingHttpHeaders; raw?: { socket?: object | null } }): void {
    const key = credentialFromAuthorization(req.headers.authorization);
    if (key === null || !isPlausibleApiKey(key)) {
      this.fail(401);
      return;
    }
    this.verify(key, hashApiKeyOn(req.raw?.socket ?? undefined, key), (err, principal) => {
      if (err) this.error(err);
      else if (principal) this.success(principal);
      else this.fail(401);
    });
  }
}

/**
 * The application's API-key strategy: a passport Strategy (success / fail / error) that the guard runs itself,
 * without passport's process-wide registry or `passport.authenticate` (see AuthzGuard.authenticate).
 */
@Injectable()
export class ApiKeyStrategy extends BearerApiKeyPassportStrategy {
  constructor(directory: AuthDirectory) {
    super((token, hash, done) => {
      const verified = directory.verifyApiKey(token, hash);
      // A cached key answers at once, so the guard can settle the request without a promise.
      if (verified instanceof Promise) verified.then((principal) => done(null, principal), (err: Error) => done(err));
      else done(null, verified);
    });
  }
}
