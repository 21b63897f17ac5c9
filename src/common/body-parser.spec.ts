import { jsonComplexityError, MAX_JSON_DEPTH } from './body-parser';

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
