import fc from 'fast-check';
import { credentialFromAuthorization, isPlausibleApiKey } from './api-key.util';

describe('credentialFromAuthorization', () => {
  it.each([
    ['Bearer ihk_abc', 'ihk_abc'],
    ['bearer ihk_abc', 'ihk_abc'],
    ['BEARER ihk_abc', 'ihk_abc'],
    ['token ihk_abc', 'ihk_abc'],
    ['Token ihk_abc', 'ihk_abc'],
    ['TOKEN ihk_abc', 'ihk_abc'],
    ['  token   ihk_abc  ', 'ihk_abc'],
    ['token\tihk_abc', 'ihk_abc'],
  ])('reads %j', (header, key) => {
    expect(credentialFromAuthorization(header)).toBe(key);
  });

  it.each([undefined, '', 'ihk_abc', 'Bearer', 'Bearer ', 'token', 'Basic aWhrOg==', 'Bearerihk_abc', 'tokenihk_abc', 'Bearer a b', 'token ihk abc', 'Tokens ihk_abc', 'Bearer\u00a0ihk_abc', 'Bëarer ihk_abc'])(
    'refuses %j',
    (header) => {
      expect(credentialFromAuthorization(header)).toBeNull();
    },
  );
});

describe('isPlausibleApiKey', () => {
  it('takes 32 to 256 visible ASCII characters and nothing else', () => {
    expect(isPlausibleApiKey(`ihk_${'a'.repeat(43)}`)).toBe(true);
    expect(isPlausibleApiKey('a'.repeat(31))).toBe(false);
    expect(isPlausibleApiKey('a'.repeat(257))).toBe(false);
    expect(isPlausibleApiKey(`${'a'.repeat(40)} `)).toBe(false);
    expect(isPlausibleApiKey(`${'a'.repeat(40)}\u007f`)).toBe(false);
    expect(isPlausibleApiKey(`${'a'.repeat(40)}é`)).toBe(false);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => isPlausibleApiKey(s) === (s.length >= 32 && s.length <= 256 && /^[\x21-\x7e]+$/.test(s))), { numRuns: 2000 });
  });
});
