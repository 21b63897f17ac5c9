import { randomRequestId } from './request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomRequestId', () => {
  it('is a version 4 UUID, lower-case, as crypto.randomUUID writes one', () => {
    // More than one batch of random bytes (256 ids), so the refill is crossed too.
    for (let i = 0; i < 1000; i++) expect(randomRequestId()).toMatch(UUID_V4);
  });

  it('never repeats, and each one is its own string (the buffer it is read from is reused)', () => {
    const ids = Array.from({ length: 20_000 }, () => randomRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(UUID_V4);
  });

  it('spreads its random bits: every hex digit appears at every random position', () => {
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 4000; i++) [...randomRequestId()].forEach((c, at) => seen[at].add(c));
    const fixed = new Map([[8, 1], [13, 1], [18, 1], [23, 1], [14, 1], [19, 4]]);
    seen.forEach((digits, at) => expect(digits.size).toBe(fixed.get(at) ?? 16));
  });

  it('is accepted back as an incoming X-Request-Id (the pattern the hub checks)', () => {
    for (let i = 0; i < 100; i++) expect(randomRequestId()).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});
