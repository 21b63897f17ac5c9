import { Writable } from 'node:stream';
import pino from 'pino';
import fc from 'fast-check';
import { createAccessLog, jsonString, millisecondsJson } from './access-log';

/** A logger configured as createLogger configures it, writing to memory. */
function capture(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
  const logger = pino(
    {
      level,
      base: { service: 'integrations-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'err.config.headers.authorization'], censor: '[REDACTED]' },
    },
    stream,
  );
  return { logger, lines };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('access log line', () => {
  const entry = {
    reqId: '0b6a4e9e-4d2b-4a57-9d0e-1f1c2d3e4f50',
    method: 'POST',
    url: '/api/x?code=secret&page="2"\\',
    route: '/api/x',
    status: 201,
    ms: 1.3,
    ip: '127.0.0.1',
    principal: { userId: 'u-1', organizationId: 'o-1', keyId: 'k-1' },
  };

  it("is the line pino writes for the same fields on the request's child logger, with the URL masked", async () => {
    const built = capture();
    const reference = capture();
    createAccessLog(built.logger)(entry);
    const { reqId, principal, method, route, status, ms, ip } = entry;
    reference.logger.child({ reqId }).info({ method, url: '/api/x?code=[REDACTED]&page="2"\\', route, status, ms, ip, ...principal }, 'request completed');
    await flush();
    const [a, b] = [JSON.parse(built.lines[0]) as Record<string, unknown>, JSON.parse(reference.lines[0]) as Record<string, unknown>];
    expect(typeof a.time).toBe('string');
    expect({ ...a, time: 't' }).toEqual({ ...b, time: 't' });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(built.lines[0]).not.toContain('secret');
  });

  it('leaves out the principal of an unauthenticated request and an unknown address; honours the level', async () => {
    const built = capture();
    const log = createAccessLog(built.logger);
    log({ ...entry, principal: undefined, ip: undefined });
    await flush();
    const line = JSON.parse(built.lines[0]) as Record<string, unknown>;
    expect(line).not.toHaveProperty('userId');
    expect(line).not.toHaveProperty('ip');
    built.logger.level = 'warn';
    log(entry);
    await flush();
    expect(built.lines).toHaveLength(1);
  });
});

describe('access log line: the caller\'s ids', () => {
  it('names the principal of each line, when one key speaks for another organization or user, or has none', async () => {
    const built = capture();
    const log = createAccessLog(built.logger);
    const base = { reqId: 'r', method: 'GET', url: '/api/users/@me', route: '/api/users/@me', status: 200, ms: 0.4, ip: '127.0.0.1' };
    const callers = [
      { userId: 'u-1', organizationId: 'o-1', keyId: 'k-1' },
      { userId: 'u-1', organizationId: 'o-1', keyId: 'k-1' },
      { userId: 'u-1', organizationId: 'o-2', keyId: 'k-1' },
      { userId: 'u-1', organizationId: undefined, keyId: 'k-1' },
      { userId: 'u-"2"', organizationId: 'o-2', keyId: 'k-1' },
      { userId: 'u-1', organizationId: 'o-1', keyId: 'k-2' },
      { userId: 'u-1', organizationId: 'o-1', keyId: 'k-1' },
    ];
    for (const principal of callers) log({ ...base, principal });
    await flush();
    const written = built.lines.map((l) => JSON.parse(l) as Record<string, unknown>).map(({ userId, organizationId, keyId }) => ({ userId, organizationId, keyId }));
    expect(written).toEqual(callers);
  });
});

describe('millisecondsJson', () => {
  it('is JSON.stringify for any duration, rounded to one decimal or not', () => {
    for (const ms of [0, 0.1, 0.3, 1, 1.3, 9.9, 10, 12.1, 1e6 + 0.7, 107374182.3, 107374182.4, 1e21, -0.5, -0, 0.05, 1 / 3, NaN, Infinity, -Infinity]) {
      expect(millisecondsJson(ms)).toBe(JSON.stringify(ms));
    }
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 2e8, noNaN: true }).map((x) => Math.round(x * 10) / 10), fc.double()), (ms) => millisecondsJson(ms) === JSON.stringify(ms)),
      { numRuns: 20_000 },
    );
  });
});

describe('jsonString', () => {
  it('is JSON.stringify for any string: quotes, backslashes, controls, DEL, non-ASCII, lone surrogates', () => {
    for (const s of ['', 'plain', '"', '\\', '\n', '\u007f', 'é', '\ud800', '/api/x?a="b"']) expect(jsonString(s)).toBe(JSON.stringify(s));
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' })), (s) => jsonString(s) === JSON.stringify(s)), { numRuns: 2000 });
  });
});
