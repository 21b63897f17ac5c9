import { connect } from 'node:net';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

/**
 * JSON bodies on the wire (src/common/body-parser.ts): a body is complete once its Content-Length bytes are in,
 * however the client split them, and a chunked one at its last chunk. Raw sockets, so the framing is exactly what
 * the test writes: pipelined requests on one connection must each get their own body.
 */
describe('request bodies on the wire', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  /** Writes `parts` one by one (each after the hub has had a chance to read the last) and collects `count` responses. */
  const exchange = (parts: string[], count: number) =>
    new Promise<Array<{ status: number; body: string }>>((resolve, reject) => {
      const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
      let raw = '';
      const responses = () => {
        const out: Array<{ status: number; body: string }> = [];
        let rest = raw;
        while (rest.length > 0) {
          const end = rest.indexOf('\r\n\r\n');
          if (end < 0) break;
          const head = rest.slice(0, end);
          const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
          if (rest.length < end + 4 + length) break;
          out.push({ status: Number(head.slice(9, 12)), body: rest.slice(end + 4, end + 4 + length) });
          rest = rest.slice(end + 4 + length);
        }
        return out;
      };
      socket.on('data', (d) => {
        raw += d.toString();
        const got = responses();
        if (got.length >= count) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', reject);
      socket.on('connect', async () => {
        for (const part of parts) {
          socket.write(part);
          // Pacing, not waiting for a result: the pieces leave as separate TCP segments.
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    });

  const head = (body: string, extra = '') =>
    `POST /api/personal_api_keys HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

  it('reads a body the client sent in pieces, up to its declared length', async () => {
    const body = JSON.stringify({ label: 'split body', scopes: ['organization:read'] });
    const [res] = await exchange([head(body), body.slice(0, 7), body.slice(7, 20), body.slice(20)], 1);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ label: 'split body', scopes: ['organization:read'] });
  });

  it('gives each of two pipelined requests its own body', async () => {
    const first = JSON.stringify({ label: 'pipelined one', scopes: ['organization:read'] });
    const second = JSON.stringify({ label: 42, scopes: ['organization:read'] });
    const [a, b] = await exchange([head(first) + first + head(second) + second], 2);
    expect(a.status).toBe(201);
    expect(JSON.parse(a.body).label).toBe('pipelined one');
    expect(b.status).toBe(400);
    expect(b.body).toContain('label');
  });

  it('reads a chunked body to its last chunk', async () => {
    const body = JSON.stringify({ label: 'chunked body', scopes: ['organization:read'] });
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    const start = `POST /api/personal_api_keys HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const [res] = await exchange([start + chunk(body.slice(0, 10)), chunk(body.slice(10)), '0\r\n\r\n'], 1);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).label).toBe('chunked body');
  });

  it('answers a body of the declared length that is not JSON with 400, on the same connection as a good one', async () => {
    const good = JSON.stringify({ label: 'after the bad one', scopes: ['organization:read'] });
    const [bad, ok] = await exchange([head('{"label":') + '{"label":', head(good) + good], 2);
    expect(bad.status).toBe(400);
    expect(ok.status).toBe(201);
  });

  it('reads a large body that spans many reads, and a body in the same write as its head, byte for byte', async () => {
    const label = `big ${'é'.repeat(40_000)}`.slice(0, 128);
    const padding = 'x'.repeat(300_000);
    const big = JSON.stringify({ label, scopes: ['organization:read'], padding });
    // The hub refuses the unknown field only once the whole body is in: a 400 naming it, not a framing error.
    const [refused] = await exchange([head(big) + big.slice(0, 1000), big.slice(1000)], 1);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('padding');
    const small = JSON.stringify({ label: 'in one write', scopes: ['organization:read'] });
    const [created] = await exchange([head(small) + small], 1);
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).label).toBe('in one write');
  });

  it('survives a client that leaves in the middle of its body, and serves the next one', async () => {
    const body = JSON.stringify({ label: 'never finished', scopes: ['organization:read'] });
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
      socket.on('error', reject);
      socket.on('connect', () => {
        socket.write(head(body) + body.slice(0, 10));
        setTimeout(() => socket.destroy(), 50);
        socket.on('close', () => resolve());
      });
    });
    const done = JSON.stringify({ label: 'after the one that left', scopes: ['organization:read'] });
    const [res] = await exchange([head(done) + done], 1);
    expect(res.status).toBe(201);
    const keys = await http(t.url, 'GET', '/api/personal_api_keys', { key: t.key });
    expect(keys.status).toBe(200);
    expect(keys.text).toContain('"after the one that left"');
    expect(keys.text).not.toContain('never finished');
  });

  // Requests without a body are answered in the loop's check phase, after the poll phase read them (answerInCheckPhase).
  it('answers pipelined requests with and without bodies in their order, each with its own answer', async () => {
    const body = JSON.stringify({ label: 'between two reads', scopes: ['organization:read'] });
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\n\r\n`;
    const bodiless = `POST /api/users/@me HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\nContent-Length: 0\r\n\r\n`;
    const whoami = await http(t.url, 'GET', '/api/users/@me', { key: t.key });
    const [me, created, missing, post, list] = await exchange([get('/api/users/@me') + head(body) + body + get('/api/no-such-route') + bodiless + get('/api/personal_api_keys')], 5);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body).id).toBe(whoami.body.id);
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).label).toBe('between two reads');
    expect(missing.status).toBe(404);
    expect(post.status).toBe(404);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).results.length).toBeGreaterThan(0);
  });

  it('survives a client that leaves before its GET is answered, and serves the next one', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
      socket.on('error', reject);
      socket.on('connect', () => {
        // Written and closed at once: the hub reads the request and finds the connection gone when it answers.
        socket.end(`GET /api/users/@me HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\n\r\n`);
        socket.destroy();
        resolve();
      });
    });
    const [res] = await exchange([`GET /api/users/@me HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${t.key}\r\n\r\n`], 1);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).organizations.length).toBeGreaterThan(0);
  });
});
