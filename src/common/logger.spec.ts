import { prettyLine, redactUrl } from './logger';

describe('redactUrl', () => {
  it('masks every secret-bearing query parameter, whatever its case, and keeps the rest', () => {
    expect(redactUrl('/api/x?api_key=s1&apikey=s2&private_token=s3&API_KEY=s4&page=2')).toBe(
      '/api/x?api_key=[REDACTED]&apikey=[REDACTED]&private_token=[REDACTED]&API_KEY=[REDACTED]&page=2',
    );
    expect(redactUrl('/cb?code=c&state=s&access_token=t#frag')).toBe('/cb?code=[REDACTED]&state=[REDACTED]&access_token=[REDACTED]#frag');
    expect(redactUrl('/api/x?keyring=1')).toBe('/api/x?keyring=1');
  });
});

describe('prettyLine (LOG_FORMAT=pretty)', () => {
  const json = JSON.stringify({ level: 40, time: '2026-12-02T01:02:03.456Z', service: 'integrations-hub', context: 'Mail', msg: 'not delivered', id: 'e1', attempts: 2, reqId: 'r1' });

  it('puts time, level, context and message first, the other fields as key=value, the request id last', () => {
    expect(prettyLine(json, false)).toBe('01:02:03.456 WARN  [Mail] not delivered id=e1 attempts=2 reqId=r1\n');
  });

  it('colours only when asked, and prints an error stack below the line', () => {
    expect(prettyLine(json, true)).toContain('\x1b[33mWARN \x1b[0m');
    const failed = prettyLine(JSON.stringify({ level: 50, time: '2026-12-02T01:02:03.456Z', msg: 'boom', err: { message: 'boom', stack: 'Error: boom\n    at x' } }), false);
    expect(failed).toBe('01:02:03.456 ERROR boom\n    Error: boom\n        at x\n');
  });

  it('passes a line that is not JSON through', () => {
    expect(prettyLine('plain text', false)).toBe('plain text\n');
  });
});
