import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/hub-config';
import { KeyRing } from './sealed-secrets';

function generatedKeyFile(config: HubConfig): string {
  return join(config.dataDir, 'encryption-keys');
}

/** The ring the hub would use, without generating a key: null when neither ENCRYPTION_KEYS nor a generated key exists. */
export function existingKeyRing(config: HubConfig): KeyRing | null {
  if (config.encryptionKeys) return new KeyRing(config.encryptionKeys);
  const file = generatedKeyFile(config);
  return existsSync(file) ? new KeyRing(readFileSync(file, 'utf8').trim()) : null;
}

/** ENCRYPTION_KEYS, or (outside production) a key generated once into DATA_DIR. */
export function loadKeyRing(config: HubConfig, logger: Logger): KeyRing {
  if (config.encryptionKeys) return new KeyRing(config.encryptionKeys);
  const file = generatedKeyFile(config);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, KeyRing.generateSpec('local1') + '\n', { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  logger.warn(`ENCRYPTION_KEYS is not set: using the key generated in ${file}. Set ENCRYPTION_KEYS in production.`);
  return new KeyRing(readFileSync(file, 'utf8').trim());
}
