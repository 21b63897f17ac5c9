import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeysService } from '../organizations/api-keys.service';
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
