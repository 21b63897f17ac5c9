import { Injectable } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthDirectory } from './auth-directory';
import { isPlausibleApiKey } from './api-key.util';
import { Principal } from './principal';

type VerifyDone = (err: Error | null, principal?: Principal | null) => void;
type Verify = (token: string, done: VerifyDone) => void;

/** Reads `Authorization: Bearer <key>` and nothing else: keys in the query string or body are ignored. */
export class BearerApiKeyPassportStrategy extends Strategy {
  name = 'api-key';
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(req: { headers: IncomingHttpHeaders }): void {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
    if (!match || !isPlausibleApiKey(match[1])) {
      this.fail(401);
      return;
    }
    this.verify(match[1], (err, principal) => {
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
    super((token, done) => directory.verifyApiKey(token).then((principal) => done(null, principal), (err: Error) => done(err)));
  }
}
