import { createServer, request as httpRequest } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';

export interface TestHttpProxy {
  url: string;
  /** `CONNECT host:port` tunnels and `METHOD absolute-url` forwards, in order. */
  seen: string[];
  /** Bytes clients sent through CONNECT tunnels (tunnels are kept alive, so requests reuse them). */
  readonly tunnelledBytes: number;
  close(): Promise<void>;
}

/** A tiny forward HTTP proxy on loopback (CONNECT tunnels and absolute-form requests) that records what it carried. */
export async function startHttpProxy(): Promise<TestHttpProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let tunnelledBytes = 0;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, socket: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      socket.on('data', (chunk: Buffer) => (tunnelledBytes += chunk.length));
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get tunnelledBytes() {
      return tunnelledBytes;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
