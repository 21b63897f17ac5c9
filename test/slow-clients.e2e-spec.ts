import { connect } from 'node:net';
import { startTestHub, TestHub } from './support/hub-harness';

/** A client trickling its request cannot hold a connection past REQUEST_TIMEOUT_SECONDS (was 300 s). */
describe('slow clients', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub({ env: { REQUEST_TIMEOUT_SECONDS: '3' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Opens a connection, sends `head` and then nothing more; resolves with how long the hub kept it open and what it said. */
  const hold = (head: string) =>
    new Promise<{ ms: number; reply: string }>((resolve, reject) => {
      const { port } = new URL(t.url);
      const socket = connect(Number(port), '127.0.0.1');
      const started = performance.now();
      let reply = '';
      socket.on('connect', () => socket.write(head));
      socket.on('data', (d) => (reply += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ ms: performance.now() - started, reply }));
      // A guard, not a wait: fails the test if the hub never closes the connection.
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the hub kept a stalled request open for 20 s'));
      }, 20_000).unref();
    });

  it('cuts off a request whose body never finishes', async () => {
    const { ms, reply } = await hold(`POST /api/invites/accept HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tok`);
    expect(ms).toBeGreaterThan(2000);
    expect(ms).toBeLessThan(10_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('cuts off a request whose headers never finish', async () => {
    const { ms } = await hold('GET /api/healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a');
    expect(ms).toBeLessThan(10_000);
  });
});
