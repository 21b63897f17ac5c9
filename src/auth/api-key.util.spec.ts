import { credentialFromAuthorization } from './api-key.util';

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
