import { redactUrl } from './logger';

describe('redactUrl', () => {
  it('masks every secret-bearing query parameter, whatever its case, and keeps the rest', () => {
    expect(redactUrl('/api/x?api_key=s1&apikey=s2&private_token=s3&API_KEY=s4&page=2')).toBe(
      '/api/x?api_key=[REDACTED]&apikey=[REDACTED]&private_token=[REDACTED]&API_KEY=[REDACTED]&page=2',
    );
    expect(redactUrl('/cb?code=c&state=s&access_token=t#frag')).toBe('/cb?code=[REDACTED]&state=[REDACTED]&access_token=[REDACTED]#frag');
    expect(redactUrl('/api/x?keyring=1')).toBe('/api/x?keyring=1');
  });
});
