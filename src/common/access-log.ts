import pino, { type Logger } from 'pino';
import { redactUrl } from './logger';

/** What one access log line says about a request; the principal's ids when the request was authenticated. */
export interface AccessLogEntry {
  reqId: string;
  method: string;
  url: string;
  route: string;
  status: number;
  /** Milliseconds, one decimal. */
  ms: number;
  /** Undefined once the socket is gone (pino leaves the field out then, and so does this line). */
  ip: string | undefined;
  principal?: { userId: string; organizationId?: string; keyId: string } | undefined;
  /** A 5xx's error code and reason (FaceExceptionFilter sets them on the request). */
  failure?: { code: string; message: string } | undefined;
}

const INFO = 30;

/**
 * `JSON.stringify(value)` for a string: printable ASCII without `"` or `\` (ids, methods, addresses, most URLs) is
 * quoted as it is, checked in one pass, without a call into the JSON serializer; anything else goes to it.
 */
export function jsonString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}

/**
 * `JSON.stringify(ms)` for a duration rounded to one decimal (`Math.round(x * 10) / 10`), from the integers either
 * side of the point: V8 turns a small integer into text from a cache and a fractional double through its slow
 * shortest-representation path (~0.5 µs a line). Anything else (not one decimal, negative, huge, not finite) is
 * left to JSON.
 */
export function millisecondsJson(ms: number): string {
  const tenths = Math.round(ms * 10);
  if (!(tenths >= 0 && tenths <= 0x3fffffff && tenths / 10 === ms)) return JSON.stringify(ms);
  const whole = Math.trunc(tenths / 10);
  const rest = tenths - whole * 10;
  return rest === 0 ? `${whole}` : `${whole}.${rest}`;
}

/**
 * The per-request line (`request completed`), built as one string and handed to the logger's destination: the
 * same JSON pino writes for `request.log.info({ method, url, route, status, ms, ip, userId, organizationId,
 * keyId, error, reason }, 'request completed')` on the request's child logger, without the generic serialization or a `Date`
 * per line (the ISO time is reused within a millisecond). The URL's secret-bearing query values are masked; the
 * principal contributes its ids only (never the key or its hash). Level changes on the logger are honoured.
 */
export function createAccessLog(logger: Logger): (entry: AccessLogEntry) => void {
  const stream = (logger as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym];
  // The logger's own bindings (`,"service":"integrations-hub"`), as pino writes them after the time.
  const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
  const prefix = `{"level":${INFO},"time":"`;
  const quotedRoutes = new Map<string, string>();
  const principals = new Map<string, { userId: string; organizationId: string | undefined; json: string }>();
  // A caller's ids as the line writes them, remembered by its key (a service sends many requests with one key): the
  // three ids are checked and quoted once, not on every line; a key that now speaks for another user or organization
  // is written anew.
  const principalJson = (p: NonNullable<AccessLogEntry['principal']>): string => {
    const known = principals.get(p.keyId);
    if (known !== undefined && known.userId === p.userId && known.organizationId === p.organizationId) return known.json;
    const json = `,"userId":${jsonString(p.userId)}${p.organizationId === undefined ? '' : `,"organizationId":${jsonString(p.organizationId)}`},"keyId":${jsonString(p.keyId)}`;
    if (principals.size >= 10_000) principals.clear();
    principals.set(p.keyId, { userId: p.userId, organizationId: p.organizationId, json });
    return json;
  };
  let lastMs = 0;
  let lastIso = '';
  return (e) => {
    if (logger.levelVal > INFO) return;
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastIso = new Date(now).toISOString();
    }
    let route = quotedRoutes.get(e.route);
    if (route === undefined) {
      route = JSON.stringify(e.route);
      if (quotedRoutes.size < 10_000) quotedRoutes.set(e.route, route);
    }
    const p = e.principal;
    const who = p ? principalJson(p) : '';
    const f = e.failure;
    const failed = f ? `,"error":${JSON.stringify(f.code)},"reason":${JSON.stringify(f.message)}` : '';
    stream.write(
      `${prefix}${lastIso}"${bindings},"reqId":${jsonString(e.reqId)},"method":${jsonString(e.method)},"url":${jsonString(redactUrl(e.url))},` +
        `"route":${route},"status":${e.status},"ms":${millisecondsJson(e.ms)}${e.ip === undefined ? '' : `,"ip":${jsonString(e.ip)}`}${who}${failed},"msg":"request completed"}\n`,
    );
  };
}
