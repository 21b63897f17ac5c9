import { KeyRing } from './sealed-secrets';

const ctx = { table: 'integrations', rowId: '42', field: 'access_token' };

describe('KeyRing', () => {
  const k1 = KeyRing.generateSpec('k1');
  const k2 = KeyRing.generateSpec('k2');

  it('seals with a fresh IV and opens', () => {
    const ring = new KeyRing(k1);
    const a = ring.seal('secret', ctx);
    const b = ring.seal('secret', ctx);
    expect(a).not.toEqual(b);
    expect(a).not.toContain('secret');
    expect(ring.open(a, ctx)).toBe('secret');
  });

  it('binds the value to its table, row and field', () => {
    const ring = new KeyRing(k1);
    const sealed = ring.seal('secret', ctx);
    expect(() => ring.open(sealed, { ...ctx, rowId: '43' })).toThrow();
    expect(() => ring.open(sealed, { ...ctx, field: 'refresh_token' })).toThrow();
  });

  it('opens with any key of the ring and seals with the first', () => {
    const old = new KeyRing(k1);
    const sealed = old.seal('secret', ctx);
    const rotated = new KeyRing(`${k2},${k1}`);
    expect(rotated.open(sealed, ctx)).toBe('secret');
    expect(rotated.keyIdOf(rotated.seal('x', ctx))).toBe('k2');
    expect(() => new KeyRing(k2).open(sealed, ctx)).toThrow("key 'k1'");
  });

  it('refuses malformed keys', () => {
    expect(() => new KeyRing('k1:abcd')).toThrow('32 bytes');
  });
});
