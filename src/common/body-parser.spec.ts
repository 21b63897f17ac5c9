import fc from 'fast-check';
import { jsonComplexityError, MAX_JSON_DEPTH, parsedWithoutNul, parseJsonBody } from './body-parser';
import { nulBytePath } from './validation';

describe('jsonComplexityError', () => {
  const check = (text: string, depth?: number, values?: number) => jsonComplexityError(Buffer.from(text), depth, values);

  it('accepts ordinary bodies up to the depth limit', () => {
    expect(check('{"a":[1,2,{"b":"c"}]}')).toBeNull();
    expect(check('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses nesting past the limit, however the brackets are mixed', () => {
    expect(check('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toMatch(/nested deeper than 32/);
    expect(check('{"a":'.repeat(40) + '1' + '}'.repeat(40))).toMatch(/nested deeper/);
    // Unbalanced input is refused as soon as the depth is crossed, without reading the rest.
    expect(check('['.repeat(10_000))).toMatch(/nested deeper/);
  });

  it('ignores brackets and commas inside strings, including escaped quotes', () => {
    expect(check(JSON.stringify({ a: '['.repeat(100) + '\\"' + ','.repeat(100) }), 32, 10)).toBeNull();
    expect(check(JSON.stringify(['\\', '['.repeat(100)]))).toBeNull();
  });

  it('refuses bodies with too many values', () => {
    expect(check(`[${'1,'.repeat(20)}1]`, 32, 10)).toMatch(/more than 10 values/);
    expect(check(`[${'1,'.repeat(5)}1]`, 32, 10)).toBeNull();
  });
});

describe('parseJsonBody', () => {
  it('marks a parsed object NUL-free only when no string in it holds a NUL (property: against the walk)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('\u0000', 'a\u0000b', '\\u0000', '\\\u0000'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node')), fc.dictionary(text, tie('node'))),
    })).node;
    fc.assert(
      fc.property(fc.oneof(fc.array(value), fc.dictionary(text, value)), fc.boolean(), (v, spaced) => {
        const parsed = parseJsonBody(Buffer.from(JSON.stringify(v, null, spaced ? 1 : undefined)));
        expect(parsed).toEqual(v);
        if (parsedWithoutNul(parsed)) expect(nulBytePath(parsed)).toBeNull();
        // Without the escape in the bytes, the mark is always given.
        if (!JSON.stringify(v).includes('\\u0000')) expect(parsedWithoutNul(parsed)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves unmarked a body with a NUL escape, a parsed scalar, any part of a body and an earlier body', () => {
    const nul = parseJsonBody(Buffer.from('{"a":{"b":"x\\u0000"}}')) as { a: object };
    expect(parsedWithoutNul(nul)).toBe(false);
    expect(nulBytePath(nul)).toBe('a.b');
    expect(parsedWithoutNul(parseJsonBody(Buffer.from('"text"')))).toBe(false);
    const clean = parseJsonBody(Buffer.from('{"a":{"b":"x"}}')) as { a: object };
    expect(parsedWithoutNul(clean)).toBe(true);
    expect(parsedWithoutNul(clean.a)).toBe(false);
    // Only the body parsed last: an earlier one is walked again.
    parseJsonBody(Buffer.from('{}'));
    expect(parsedWithoutNul(clean)).toBe(false);
    expect(parsedWithoutNul(undefined)).toBe(false);
  });
});
