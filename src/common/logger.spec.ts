import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { LazyRequestLogger, lazyChildLoggerFactory, prettyLine, redactUrl } from './logger';

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

describe('LazyRequestLogger (request.log)', () => {
  const capture = (level = 'info') => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level, base: { service: 'integrations-hub' } }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines, childSpy: jest.spyOn(logger, 'child') };
  };

  it('makes no pino child for a request that logs nothing, and one bound to the request id when it logs', async () => {
    const { logger, lines, childSpy } = capture();
    const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyChildLoggerFactory as never, logController: new LogController({ disableRequestLogging: true }), genReqId: () => 'req-1' });
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/loud', async (request) => {
      request.log.info({ detail: 7 }, 'from the handler');
      request.log.debug('below the level');
      return { ok: true };
    });
    try {
      // Fastify derives its own logger from the instance once, at start.
      await app.ready();
      childSpy.mockClear();
      expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
      expect(childSpy).not.toHaveBeenCalled();
      expect(lines).toEqual([]);
      expect((await app.inject({ url: '/loud' })).statusCode).toBe(200);
      expect(childSpy).toHaveBeenCalledTimes(1);
      expect(lines).toEqual([expect.objectContaining({ level: 30, service: 'integrations-hub', reqId: 'req-1', detail: 7, msg: 'from the handler' })]);
    } finally {
      await app.close();
    }
  });

  it('creates nothing for a disabled level, honours a per-route level and a level set on it', () => {
    const { logger, lines, childSpy } = capture('warn');
    const quiet = new LazyRequestLogger(logger, { reqId: 'a' }, {});
    quiet.info('dropped');
    expect(quiet.isLevelEnabled('info')).toBe(false);
    expect(quiet.level).toBe('warn');
    expect(childSpy).not.toHaveBeenCalled();
    quiet.error(new Error('kept'), 'failed');
    expect(lines).toEqual([expect.objectContaining({ level: 50, reqId: 'a', msg: 'failed' })]);

    const verbose = new LazyRequestLogger(logger, { reqId: 'b' }, { level: 'debug' });
    expect(verbose.level).toBe('debug');
    verbose.debug('route level');
    expect(lines[1]).toEqual(expect.objectContaining({ level: 20, reqId: 'b', msg: 'route level' }));

    const raised = new LazyRequestLogger(logger, { reqId: 'c' }, {});
    raised.level = 'trace';
    raised.trace('now enabled');
    expect(lines[2]).toEqual(expect.objectContaining({ level: 10, reqId: 'c', msg: 'now enabled' }));
    expect(raised.child({ step: 2 }).bindings()).toEqual({ service: 'integrations-hub', reqId: 'c', step: 2 });
  });
});
