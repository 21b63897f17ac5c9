import fc from 'fast-check';
import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LazyRequestLogger, lazyRequestChildren, prettyLine, redactUrl, StdoutBatch } from './logger';

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
    const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }), genReqId: () => 'req-1' });
    lazyRequestChildren(app.log as pino.Logger);
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/loud', async (request) => {
      expect(request.log).toBeInstanceOf(LazyRequestLogger);
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

describe('StdoutBatch (the JSON log destination)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const line = (i: number) => `{"level":30,"msg":"línea ${i} ✓","pad":"${'x'.repeat(400)}"}\n`;

  it('writes a file descriptor directly, in 64 KiB batches, byte for byte', () => {
    const file = join(dir, 'direct.log');
    const fd = openSync(file, 'w');
    const fallback = { write: jest.fn() };
    try {
      const batch = new StdoutBatch(fd, fallback);
      const lines = Array.from({ length: 200 }, (_, i) => line(i));
      let written = '';
      for (const l of lines) {
        batch.write(l);
        written += l;
        // Nothing reaches the file before a batch is full.
        if (Buffer.byteLength(written) < 64 * 1024) expect(readFileSync(file, 'utf8')).toBe('');
      }
      expect(readFileSync(file).length).toBeGreaterThanOrEqual(64 * 1024);
      batch.flush();
      expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
      expect(fallback.write).not.toHaveBeenCalled();
    } finally {
      closeSync(fd);
    }
  });

  it('hands what a full non-blocking pipe did not take to the stream, nothing lost or repeated', () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const rest: Buffer[] = [];
    try {
      const batch = new StdoutBatch(writer, { write: (chunk: string | Uint8Array) => rest.push(Buffer.from(chunk)) });
      // More than the pipe holds (64 KiB on Linux), in one batch.
      const text = Array.from({ length: 400 }, (_, i) => line(i)).join('');
      batch.write(text);
      const piped: Buffer[] = [];
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        let n = 0;
        try {
          n = readSync(reader, buf);
        } catch {
          break;
        }
        if (n <= 0) break;
        piped.push(Buffer.from(buf.subarray(0, n)));
      }
      expect(piped.length).toBeGreaterThan(0);
      expect(rest.length).toBe(1);
      expect(Buffer.concat([...piped, ...rest]).toString('utf8')).toBe(text);
      // Once the pipe said no, later batches go through the stream whole.
      batch.write(line(1));
      batch.flush();
      expect(rest[1].toString('utf8')).toBe(line(1));
    } finally {
      closeSync(writer);
      closeSync(reader);
    }
  });

  it('uses the stream for a descriptor that is neither a file nor a pipe', () => {
    const chunks: Buffer[] = [];
    const batch = new StdoutBatch(2 ** 30, { write: (chunk: string | Uint8Array) => chunks.push(Buffer.from(chunk)) });
    batch.write(line(7));
    batch.write(line(8));
    batch.flush();
    // A copy, so later lines written into the batch's buffer do not change what the stream holds.
    batch.write(line(9));
    batch.flush();
    expect(chunks.map((c) => c.toString('utf8'))).toEqual([line(7) + line(8), line(9)]);
  });

  it('keeps every line whole and in order, whatever the mix of lengths and characters (property)', () => {
    const file = join(dir, 'mixed.log');
    const fd = openSync(file, 'w');
    try {
      const batch = new StdoutBatch(fd, { write: () => undefined });
      const expected: string[] = [];
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ minLength: 20_000, maxLength: 60_000 }), fc.constant('€'.repeat(30_000))), { maxLength: 12 }), (parts) => {
          for (const p of parts) {
            batch.write(`${p}\n`);
            expected.push(`${p}\n`);
          }
        }),
        { numRuns: 40 },
      );
      batch.flush();
      expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
    } finally {
      closeSync(fd);
    }
  });
});
