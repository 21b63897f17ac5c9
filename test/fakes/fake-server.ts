import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status?: number;
  json?: unknown;
  /** A plain-text body, sent when `json` is not given. */
  text?: string;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: SeenRequest) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  url: string;
  /** Every request the fake saw, oldest first. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server (port 0) that records requests and answers through one handler. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      Promise.resolve(handler(seen))
        .then((reply) => {
          const contentType = reply.json !== undefined ? 'application/json; charset=utf-8' : reply.text !== undefined ? 'text/plain; charset=utf-8' : undefined;
          const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...reply.headers };
          res.writeHead(reply.status ?? 200, headers);
          res.end(reply.json !== undefined ? JSON.stringify(reply.json) : reply.text);
        })
        .catch((err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: err.message }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Parses a form or JSON request body. */
export function bodyParams(req: SeenRequest): Record<string, string> {
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('json')) return JSON.parse(req.body || '{}') as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(req.body));
}

export function bearer(req: SeenRequest): string | undefined {
  const h = req.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : undefined;
}
