import { Injectable } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthDirectory } from './auth-directory';
import { credentialFromAuthorization, isPlausibleApiKey } from './api-key.util';
import { Principal } from './principal';

type VerifyDone = (err: Error | null, principal?: Principal | null) => void;
type Verify = (token: string, done: VerifyDone) => void;

/**
 * Reads `Authorization: Bearer <key>` or `Authorization: token <key>` (GitHub's two schemes, any case) and nothing
 * else: keys in the query string or body are ignored.
 */
export class BearerApiKeyPassportStrategy extends Strategy {
  name = 'api-key';
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(req: { headers: IncomingHttpHeaders }): void {
    const key = credentialFromAuthorization(req.headers.authorization);
    if (key === null || !isPlausibleApiKey(key)) {
      this.fail(401);
      return;
    }
    this.verify(key, (err, principal) => {
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
    super((token, done) => {
      const verified = directory.verifyApiKey(token);
      // A cached key answers at once, so the guard can settle the request without a promise.
      if (verified instanceof Promise) verified.then((principal) => done(null, principal), (err: Error) => done(err));
      else done(null, verified);
    });
  }
}
