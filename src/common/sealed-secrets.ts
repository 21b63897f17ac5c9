import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Where a sealed value lives; bound into the ciphertext so a blob cannot be moved to another row or field. */
export interface SealContext {
  table: string;
  rowId: string;
  field: string;
}

interface RingKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';

/**
 * AES-256-GCM with a fresh 96-bit IV per value. Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url).
 * The first key of the ring seals; any key opens.
 */
export class KeyRing {
  private readonly keys: RingKey[];

  constructor(spec: string) {
    this.keys = spec.split(',').map((part) => {
      const [id, b64 = ''] = part.split(':');
      const key = Buffer.from(b64, 'base64');
      if (!id || key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key '${id}' must be 32 bytes of base64, got ${key.length} bytes`);
      return { id, key };
    });
    const ids = this.keys.map((k) => k.id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated) throw new Error(`ENCRYPTION_KEYS: key id '${repeated}' appears twice; every key needs its own id`);
  }

  static generateSpec(id = 'k1'): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string, ctx: SealContext): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(ctx, id));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string, ctx: SealContext): string {
    const [version, keyId, iv, tag, ct] = sealed.split('.');
    if (version !== VERSION || ct === undefined) throw new Error('sealed value has an unknown format');
    const ring = this.keys.find((k) => k.id === keyId);
    if (!ring) throw new Error(`sealed value uses key '${keyId}', which is not in ENCRYPTION_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', ring.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(ctx, keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The id of the key that sealed a value (for rotation: re-seal when it is not the current one). */
  keyIdOf(sealed: string): string {
    return sealed.split('.')[1];
  }
}

function aad(ctx: SealContext, keyId: string): Buffer {
  return Buffer.from(`${ctx.table}|${ctx.rowId}|${ctx.field}|${keyId}`, 'utf8');
}
