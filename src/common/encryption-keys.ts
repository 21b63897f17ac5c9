import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/hub-config';
import { KeyRing } from './sealed-secrets';

/** ENCRYPTION_KEYS, or (outside production) a key generated once into DATA_DIR. */
export function loadKeyRing(config: HubConfig, logger: Logger): KeyRing {
  if (config.encryptionKeys) return new KeyRing(config.encryptionKeys);
  const file = join(config.dataDir, 'encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, KeyRing.generateSpec('local1') + '\n', { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  logger.warn(`ENCRYPTION_KEYS is not set: using the key generated in ${file}. Set ENCRYPTION_KEYS in production.`);
  return new KeyRing(readFileSync(file, 'utf8').trim());
}
