import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeysService } from '../organizations/api-keys.service';
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

/** Registers the strategy with passport; `validate` receives the bearer value. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerApiKeyPassportStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(token: string): Promise<Principal | null> {
    return this.apiKeys.verify(token);
  }
}
