import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface StreamingUpstream {
  url: string;
  /** Requests seen, oldest first (bodies are not kept). */
  requests: UpstreamRequest[];
  /** The next `count` requests to `/flaky` answer 429 (or the given status) with `Retry-After: seconds`. */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * A MantisBT-shaped upstream that streams: `GET /api/rest/users/me` (token in `Authorization`, for connecting),
 * `GET /bytes/{n}` (n bytes, generated), `POST /upload` (counts and hashes the body as it arrives), `GET /flaky`,
 * `GET /headers` (echoes the request headers and answers with provider and hop-by-hop headers), `GET /redirect?to=`,
 * and answers 401 for any other token.
 */
export async function startStreamingUpstream(token: string): Promise<StreamingUpstream> {
  const requests: UpstreamRequest[] = [];
  let failures = 0;
  let failStatus = 429;
  let retryAfter: number | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://upstream');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== token) {
      req.resume();
      return json(401, { message: 'API token not found', code: 1000 });
    }
    if (url.pathname === '/api/rest/users/me') return json(200, { id: 7, name: 'hubbot' });
    const bytes = /^\/bytes\/(\d+)$/.exec(url.pathname);
    if (bytes) {
      let left = Number(bytes[1]);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(left), etag: '"bytes"' });
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, CHUNK.length);
          left -= n;
          if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (url.pathname === '/upload') {
      const hash = createHash('sha256');
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      req.on('end', () => json(201, { bytes: size, sha256: hash.digest('hex'), contentType: req.headers['content-type'] ?? null }));
      return;
    }
    req.resume();
    if (url.pathname === '/flaky') {
      if (failures > 0) {
        failures--;
        return json(failStatus, { message: 'slow down' }, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
      }
      return json(200, { ok: true });
    }
    if (url.pathname === '/headers') {
      res.writeHead(200, [
        ['content-type', 'application/json'],
        ['link', '<https://provider.example/items?page=2>; rel="next"'],
        ['etag', 'W/"abc"'],
        ['x-ratelimit-remaining', '4999'],
        ['x-ratelimit-limit', '5000'],
        ['set-cookie', 'session=provider-secret'],
        ['www-authenticate', 'Bearer realm="provider"'],
        ['connection', 'keep-alive, x-hop'],
        ['x-hop', 'hop-only'],
        ['keep-alive', 'timeout=5'],
      ]);
      return res.end(JSON.stringify({ headers: req.headers }));
    }
    if (url.pathname === '/redirect') return json(302, { moved: true }, { location: url.searchParams.get('to') ?? '/' });
    json(404, { message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext(count, status, seconds) {
      failures = count;
      failStatus = status;
      retryAfter = seconds;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
