import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { answerInCheckPhase, jsonComplexityError, MAX_JSON_DEPTH, MAX_REMEMBERED_BODY_BYTES, parsedWithoutNul, parseJsonBody, parseRepeatedJsonBody, readsNoBody } from './body-parser';
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
    // A one-character key that JSON.stringify escapes (a control character, '"' or '\\') is refused: Node 24.21's V8
    // parses such a key as the first one of its kind the process parsed (refuseOneCharacterEscapedKeys).
    const escapedOneCharacterKey = (v: unknown): boolean =>
      Array.isArray(v) ? v.some(escapedOneCharacterKey) : v !== null && typeof v === 'object' && Object.entries(v).some(([k, x]) => (k.length === 1 && JSON.stringify(k).length > 3) || escapedOneCharacterKey(x));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node')), fc.dictionary(text, tie('node'))),
    })).node;
    fc.assert(
      fc.property(fc.oneof(fc.array(value), fc.dictionary(text, value)), fc.boolean(), (v, spaced) => {
        const bytes = Buffer.from(JSON.stringify(v, null, spaced ? 1 : undefined));
        if (escapedOneCharacterKey(v)) {
          expect(() => parseJsonBody(bytes)).toThrow(/object key of one character written as an escape/);
          return;
        }
        const parsed = parseJsonBody(bytes);
        expect(parsed).toEqual(v);
        if (parsedWithoutNul(parsed)) expect(nulBytePath(parsed)).toBeNull();
        // Without the escape in the bytes, the mark is always given.
        if (!JSON.stringify(v).includes('\\u0000')) expect(parsedWithoutNul(parsed)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a one-character key written as an escape, and nothing else that looks like one', () => {
    for (const text of ['{"\\u00e9":1}', '{"a":{ "\\n" : 1}}', '[{"x":1},{"\\\\":2}]', '{"a":1,"\\"":2}']) {
      expect(() => parseJsonBody(Buffer.from(text))).toThrow(SyntaxError);
    }
    // Longer keys, values and array elements written with escapes parse as they are.
    expect(parseJsonBody(Buffer.from('{"a\\u0041":"\\u0041","\\u0041b":["\\n"],"x\\"\\\\":1}'))).toEqual({ aA: 'A', Ab: ['\n'], 'x"\\': 1 });
    expect(parseJsonBody(Buffer.from('["\\u0041", "\\n"]'))).toEqual(['A', '\n']);
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

describe('parseRepeatedJsonBody (the token mints: the same small bodies again and again)', () => {
  /** JSON.parse's answer and the spelling of its keys' order, which a copy must keep too. */
  const shape = (v: unknown) => JSON.stringify(v);

  it('answers what JSON.parse answers, the first time and every time after, each time a value of its own', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : undefined);
        if (Buffer.byteLength(text) > MAX_REMEMBERED_BODY_BYTES || typeof value !== 'object' || value === null) return;
        // A body parseJsonBody refuses (a one-character escaped key) is refused every time alike.
        let refused = false;
        try {
          parseJsonBody(Buffer.from(text));
        } catch {
          refused = true;
        }
        if (refused) {
          for (let i = 0; i < 2; i++) expect(() => parseRepeatedJsonBody(Buffer.from(text))).toThrow(SyntaxError);
          return;
        }
        const first = parseRepeatedJsonBody(Buffer.from(text));
        const again = parseRepeatedJsonBody(Buffer.from(text));
        expect(first).toEqual(JSON.parse(text));
        expect(again).toEqual(JSON.parse(text));
        expect(shape(again)).toBe(shape(JSON.parse(text)));
        expect(again).not.toBe(first);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what a request did to its body away from the next request with the same bytes', () => {
    const text = '{"repositories":["a","b"],"permissions":{"contents":"read"}}';
    const first = parseRepeatedJsonBody(Buffer.from(text)) as { repositories: string[]; permissions: Record<string, string> };
    first.repositories.push('c');
    first.permissions.contents = 'admin';
    (first as Record<string, unknown>).added = true;
    const second = parseRepeatedJsonBody(Buffer.from(text));
    expect(second).toEqual({ repositories: ['a', 'b'], permissions: { contents: 'read' } });
    expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
  });

  it('gives a `__proto__` key as JSON.parse does (an own property, the prototype untouched), every time', () => {
    const text = '{"__proto__":{"polluted":true},"a":1}';
    for (let i = 0; i < 3; i++) {
      const value = parseRepeatedJsonBody(Buffer.from(text)) as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.keys(value)).toEqual(['__proto__', 'a']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('leaves long and too complex bodies to the usual path, and refuses malformed ones as parseJsonBody does', () => {
    expect(parseRepeatedJsonBody(Buffer.from(JSON.stringify({ pad: 'x'.repeat(MAX_REMEMBERED_BODY_BYTES) })))).toBeUndefined();
    expect(parseRepeatedJsonBody(Buffer.from('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)))).toBeUndefined();
    for (let i = 0; i < 2; i++) expect(() => parseRepeatedJsonBody(Buffer.from('{"a":'))).toThrow(SyntaxError);
    for (let i = 0; i < 2; i++) expect(() => parseRepeatedJsonBody(Buffer.from('{"\\u00e9":1}'))).toThrow(SyntaxError);
  });

  it('says of a copy whether its bytes held a NUL escape, as of a parse', () => {
    for (let i = 0; i < 2; i++) {
      expect(parsedWithoutNul(parseRepeatedJsonBody(Buffer.from('{"name":"plain"}')))).toBe(true);
      expect(parsedWithoutNul(parseRepeatedJsonBody(Buffer.from('{"name":"nul\\u0000"}')))).toBe(false);
    }
  });
});

describe('readsNoBody and answerInCheckPhase', () => {
  const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers }) as unknown as IncomingMessage;

  it('names the requests Fastify handles without reading a body: GET and HEAD always, others with no declared body', () => {
    expect(readsNoBody(request('GET'))).toBe(true);
    expect(readsNoBody(request('HEAD', { 'content-length': '12' }))).toBe(true);
    expect(readsNoBody(request('DELETE'))).toBe(true);
    expect(readsNoBody(request('POST', { 'content-length': '0' }))).toBe(true);
    expect(readsNoBody(request('POST', { 'content-length': '2' }))).toBe(false);
    expect(readsNoBody(request('PATCH', { 'transfer-encoding': 'chunked' }))).toBe(false);
  });

  it('defers a bodiless request to the check phase and runs one with a body at once (its parser defers it)', async () => {
    const order: string[] = [];
    answerInCheckPhase(request('GET'), () => order.push('get'));
    answerInCheckPhase(request('POST', { 'content-length': '2' }), () => order.push('post'));
    order.push('same tick');
    expect(order).toEqual(['post', 'same tick']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['post', 'same tick', 'get']);
  });
});
