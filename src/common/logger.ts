import type { LoggerService } from '@nestjs/common';
import { fstatSync, writeSync } from 'node:fs';
import pino, { Logger } from 'pino';

/** Query parameters that carry secrets; `api_key`, `apikey` and `private_token` are how other APIs pass keys. */
const SENSITIVE_QUERY = /([?&](?:code|state|token|access_token|refresh_token|id_token|client_secret|key|api_key|apikey|private_token|password|secret|sig|signature)=)[^&#]*/gi;

/** Strips secrets that may ride in a query string (OAuth codes and states, tokens, API keys) before a URL is logged. */
export function redactUrl(url: string): string {
  return url.includes('?') ? url.replace(SENSITIVE_QUERY, '$1[REDACTED]') : url;
}

export type LogFormat = 'json' | 'pretty';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields every line has, shown in the line's head rather than repeated as `key=value`. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'context', 'reqId', 'err']);

/**
 * One JSON log line as a readable line: `12:00:00.123 INFO  [context] message key=value ...`, the error's stack
 * below it. Colours only when `colour` (a terminal).
 */
export function prettyLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = Number(entry.level);
  const name = (LEVEL_NAMES[level] ?? String(entry.level)).padEnd(5);
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  let line = `${paint('90', time)} ${paint(LEVEL_COLOURS[level] ?? '0', name)}`;
  if (entry.context) line += ` ${paint('90', `[${String(entry.context)}]`)}`;
  if (entry.msg !== undefined) line += ` ${String(entry.msg)}`;
  for (const [key, value] of Object.entries(entry)) {
    if (HEAD_FIELDS.has(key) || value === undefined) continue;
    line += ` ${paint('90', `${key}=`)}${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  if (entry.reqId) line += ` ${paint('90', `reqId=${String(entry.reqId)}`)}`;
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) line += `\n    ${(err.stack ?? err.message ?? JSON.stringify(err)).split('\n').join('\n    ')}`;
  return `${line}\n`;
}

/** A pino destination that writes each line as `prettyLine` to stdout (development: one write per line). */
function prettyDestination(): pino.DestinationStream & { flush(): void } {
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return {
    write: (json: string) => process.stdout.write(prettyLine(json, colour)),
    flush: () => undefined,
  };
}

/**
 * A batch is written once it holds this much (or on the 1 s tick, or at exit): at 15,000 requests a second, one
 * write every ~9 ms. 4 KiB batches (one write per nine access lines) cost ~1.8 µs a request in `write(2)` here.
 */
const STDOUT_BATCH_BYTES = 64 * 1024;

/**
 * JSON lines to stdout in batches of 64 KiB: one synchronous write per batch rather than per line. pino's
 * asynchronous destination (sonic-boom) hands every batch to libuv's thread pool and back, which cost about 5 µs per
 * line here against 0.4 µs for this. When stdout is a file or a pipe (a container's log driver, systemd, `> file`)
 * the batch's bytes go to the descriptor with `fs.writeSync`; `process.stdout` would run them through a Writable.
 * A terminal or a socket, a pipe that answers EAGAIN, or a short write go through `process.stdout`, with a copy of
 * the bytes (Node writes it synchronously for files, pipes and
 * terminals on Linux, like `console.log`). One per process: every logger of the process shares it, and what is
 * left is written when the process exits.
 */
export class StdoutBatch implements pino.DestinationStream {
  /**
   * The batch as UTF-8 bytes, each line encoded as it arrives, while it is still in the cache: a string batch was a
   * rope of every line's pieces, walked cold at the write (and kept alive through scavenges until then). Twice the
   * batch size, so any line of up to a third of it fits behind a batch that is almost full.
   */
  private readonly bytes = Buffer.allocUnsafe(2 * STDOUT_BATCH_BYTES);
  private used = 0;
  private exitHooked = false;
  /** Whether the descriptor takes direct writes; decided at the first flush. */
  private direct: boolean | undefined;

  /** `fd` and the stream that writes it otherwise: stdout's unless a test names its own. */
  constructor(
    private readonly fd = 1,
    private readonly fallback: { write(chunk: string | Uint8Array): unknown } = process.stdout,
  ) {}

  write(line: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: a line that might not fit goes after the batch, or alone.
    if (3 * line.length > this.bytes.length - this.used) {
      this.flush();
      if (3 * line.length > this.bytes.length) {
        this.writeOut(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += this.bytes.write(line, this.used, 'utf8');
    if (this.used >= STDOUT_BATCH_BYTES) this.flush();
    else if (!this.exitHooked) {
      this.exitHooked = true;
      process.once('exit', () => this.flush());
    }
  }

  flush(done?: (err?: Error) => void): void {
    if (this.used > 0) {
      const batch = this.bytes.subarray(0, this.used);
      this.used = 0;
      try {
        this.writeOut(batch);
      } catch (err) {
        // stdout closed under us (EPIPE): logging must not take the process down.
        done?.(err as Error);
        return;
      }
    }
    done?.();
  }

  /** Writes `batch` now; what the stream is handed is a copy (the batch's buffer is written again next). */
  private writeOut(batch: Buffer): void {
    this.direct ??= takesDirectWrites(this.fd);
    if (this.direct) {
      let written = 0;
      try {
        written = writeSync(this.fd, batch);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      }
      if (written === batch.length) return;
      // A non-blocking pipe that is full: from now on through the stream, which waits for it.
      this.direct = false;
      this.fallback.write(Buffer.from(batch.subarray(written)));
      return;
    }
    this.fallback.write(Buffer.from(batch));
  }
}

function takesDirectWrites(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFile() || stat.isFIFO();
  } catch {
    return false;
  }
}

let stdoutBatch: StdoutBatch | undefined;

function sharedStdoutBatch(): StdoutBatch {
  if (!stdoutBatch) {
    const batch = (stdoutBatch = new StdoutBatch());
    // A quiet process still shows its last lines within a second.
    setInterval(() => batch.flush(), 1000).unref();
  }
  return stdoutBatch;
}

/**
 * JSON logs (or `pretty` lines for development); secrets are redacted by path and never serialized from request
 * headers. JSON lines are batched (StdoutBatch); `flushLogger` runs at shutdown.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const destination = format === 'pretty' ? prettyDestination() : sharedStdoutBatch();
  return pino({
    level,
    base: { service: 'integrations-hub' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Exact paths only (wildcards walk every logged object); request and response objects go through the
    // serializers below, which never copy headers or bodies.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'err.config.headers.authorization'],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: req.url ? redactUrl(req.url) : undefined,
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  }, destination);
}

/** Writes out buffered log lines (graceful shutdown, fatal errors). */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // the destination may already be closed
  }
}

/** Nest's own wiring lines (one per module, controller and route at every start) belong at debug. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's logger interface over the same pino instance. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write(context && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.write('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string): void {
    if (message && typeof message === 'object' && !(message instanceof Error)) {
      this.logger[level]({ context, ...(message as object) });
    } else if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}

type LevelMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify's per-request logger (`request.log`, bound to the request id), made only when something logs through it.
 * Fastify builds a pino child for every request by default (~0.6 µs and a bindings string each); the hub's own
 * lines come from the access log (access-log.ts) and its services' loggers, so `request.log` is used on rare
 * paths only (a framework error, a timeout). A call at a disabled level creates nothing.
 */
export class LazyRequestLogger {
  private real: Logger | undefined;

  /** `createChild`: how the real child is made (the parent's own `child` unless `lazyRequestChildren` replaced it). */
  constructor(
    private readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly options: pino.ChildLoggerOptions,
    private readonly createChild: (bindings: pino.Bindings, options: pino.ChildLoggerOptions) => Logger = (b, o) => parent.child(b, o),
  ) {}

  private logger(): Logger {
    return (this.real ??= this.createChild(this.bindings, this.options));
  }

  get level(): string {
    return this.real?.level ?? this.options.level ?? this.parent.level;
  }
  set level(level: string) {
    this.logger().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }
  fatal(...args: unknown[]): void {
    this.call('fatal', args);
  }
  error(...args: unknown[]): void {
    this.call('error', args);
  }
  warn(...args: unknown[]): void {
    this.call('warn', args);
  }
  info(...args: unknown[]): void {
    this.call('info', args);
  }
  debug(...args: unknown[]): void {
    this.call('debug', args);
  }
  trace(...args: unknown[]): void {
    this.call('trace', args);
  }
  silent(): void {}

  private call(level: LevelMethod, args: unknown[]): void {
    // A per-request level (a route's logLevel) needs the child; otherwise the parent's level decides.
    if (this.real === undefined && this.options.level === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.logger()[level] as (...a: unknown[]) => void)(...args);
  }
}

/**
 * Makes `logger.child` answer a LazyRequestLogger, its pino child made when something logs through it. Given Fastify's
 * own logger (`fastify.log`, whose `child` its default child-logger factory calls for every request, and nothing else
 * does): a `childLoggerFactory` option would do the same, but Fastify then checks the logger each one returns (two
 * arrays and a closure a request), which it skips for its default factory.
 */
export function lazyRequestChildren(logger: Logger): void {
  const eager = logger.child.bind(logger);
  logger.child = ((bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => new LazyRequestLogger(logger, bindings, options ?? {}, eager)) as unknown as Logger['child'];
}
