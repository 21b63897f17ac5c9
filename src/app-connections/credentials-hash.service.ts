import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { ServerSecretsService } from './server-secrets.service';

const HASH_KEY_NAME = 'app_connections.credentials_hash_key';

/**
 * `credentialsHash`: HMAC-SHA256 of the canonical credentials under a server key that survives key rotation,
 * so equal credentials hash equally and the hash changes exactly when they change.
 */
@Injectable()
export class CredentialsHashService {
  constructor(private readonly serverSecrets: ServerSecretsService) {}

  async hash(app: string, method: string, credentials: Record<string, string | number | null | undefined>): Promise<string> {
    const key = await this.serverSecrets.key(HASH_KEY_NAME);
    return createHmac('sha256', key).update(canonicalJson({ app, method, credentials })).digest('hex');
  }
}

/** JSON with sorted keys and undefined/null members dropped, so field order and absent hosts do not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
