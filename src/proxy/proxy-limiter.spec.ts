import Redis from 'ioredis';
import type { HubConfig } from '../config/hub-config';
import { ProxyLimiter } from './proxy-limiter';

function limiter(maxConcurrency: number, maxRequestsPerSecond: number): ProxyLimiter {
  const config = { queuePrefix: 'spec', proxy: { maxConcurrency, maxRequestsPerSecond, maxRetryWaitSeconds: 10, timeoutSeconds: 30 } } as HubConfig;
  return new ProxyLimiter(config, null);
}

describe('ProxyLimiter (in-process, without Redis)', () => {
  afterEach(() => jest.useRealTimers());

  it('holds at most PROXY_MAX_CONCURRENCY calls per integration until one is released', async () => {
    const l = limiter(2, 1000);
    const a = await l.acquire('1');
    await l.acquire('1');
    await expect(l.acquire('1')).rejects.toMatchObject({ status: 429, code: 'rate_limited', headers: { 'retry-after': '1' }, message: expect.stringContaining('concurrency') });
    await expect(l.acquire('2')).resolves.toEqual(expect.any(Function));
    a();
    a(); // a second release of the same slot frees nothing more
    await l.acquire('1');
    await expect(l.acquire('1')).rejects.toMatchObject({ status: 429 });
  });

  it('allows PROXY_MAX_REQUESTS_PER_SECOND calls per integration per one-second window', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const l = limiter(100, 3);
    for (let i = 0; i < 3; i++) (await l.acquire('1'))();
    jest.setSystemTime(1_000_400);
    await expect(l.acquire('1')).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '1' }, message: expect.stringContaining('request rate') });
    await expect(l.acquire('2')).resolves.toEqual(expect.any(Function));
    jest.setSystemTime(1_001_001);
    await expect(l.acquire('1')).resolves.toEqual(expect.any(Function));
  });
});

describe('ProxyLimiter (shared through Redis)', () => {
  const prefix = `spec${Math.random().toString(36).slice(2, 10)}`;
  let redisA: Redis;
  let redisB: Redis;

  beforeAll(() => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    redisA = new Redis(url);
    redisB = new Redis(url);
  });
  afterAll(async () => {
    const keys = await redisA.keys(`${prefix}:*`);
    if (keys.length) await redisA.del(...keys);
    redisA.disconnect();
    redisB.disconnect();
  });

  function replica(redis: Redis, maxConcurrency: number, maxRequestsPerSecond: number): ProxyLimiter {
    const config = { queuePrefix: prefix, proxy: { maxConcurrency, maxRequestsPerSecond, maxRetryWaitSeconds: 10, timeoutSeconds: 30 } } as HubConfig;
    return new ProxyLimiter(config, redis);
  }

  it('two replicas share one concurrency budget per integration', async () => {
    const [a, b] = [replica(redisA, 1, 1000), replica(redisB, 1, 1000)];
    const slot = await a.acquire('c1');
    await expect(b.acquire('c1')).rejects.toMatchObject({ status: 429, message: expect.stringContaining('concurrency') });
    await expect(b.acquire('c2')).resolves.toEqual(expect.any(Function));
    slot();
    const deadline = Date.now() + 5000;
    for (;;) {
      const released = await b.acquire('c1').then(() => true, () => false);
      if (released) break;
      if (Date.now() > deadline) throw new Error('slot not released');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('two replicas share one request rate per integration, answering how long the window has left', async () => {
    const [a, b] = [replica(redisA, 100, 2), replica(redisB, 100, 2)];
    (await a.acquire('r1'))();
    (await b.acquire('r1'))();
    await expect(a.acquire('r1')).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '1' }, message: expect.stringContaining('request rate') });
    await expect(b.acquire('r2')).resolves.toEqual(expect.any(Function));
  });
});
