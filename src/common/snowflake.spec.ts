import { SnowflakeGenerator, snowflakeTimestamp } from './snowflake';

describe('SnowflakeGenerator', () => {
  it('produces strictly increasing, unique ids within one worker', () => {
    const gen = new SnowflakeGenerator(7);
    const ids = Array.from({ length: 20000 }, () => gen.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]) > BigInt(ids[i - 1])).toBe(true);
  });

  it('encodes the worker id so two workers never collide', () => {
    const a = new SnowflakeGenerator(1);
    const b = new SnowflakeGenerator(2);
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      ids.add(a.next());
      ids.add(b.next());
    }
    expect(ids.size).toBe(10000);
    expect((BigInt(a.next()) >> 12n) & 0x3ffn).toBe(1n);
  });

  it('decodes its timestamp', () => {
    const before = Date.now();
    const id = new SnowflakeGenerator(0).next();
    expect(snowflakeTimestamp(id).getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(snowflakeTimestamp(id).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('rejects out-of-range worker ids', () => {
    expect(() => new SnowflakeGenerator(1024)).toThrow('worker id');
  });
});
