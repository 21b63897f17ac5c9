import Redis from 'ioredis';
import { SnowflakeService } from '../src/common/snowflake.service';
import { startTestHub, TEST_REDIS_URL, TestHub } from './support/hub-harness';

/** The snowflake worker lease survives Redis losing it, and only its owner renews or releases it. */
describe('snowflake worker lease', () => {
  let t: TestHub;
  let redis: Redis;
  let snowflake: SnowflakeService;
  const key = (id: number) => `${t.env.QUEUE_PREFIX}:snowflake:worker:${id}`;

  beforeAll(async () => {
    t = await startTestHub();
    redis = new Redis(TEST_REDIS_URL);
    // The id generator's worker lease is under test; it has no HTTP surface.
    snowflake = t.hub.app.get(SnowflakeService);
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  it('takes its lease back after Redis lost it (flush or restart), keeping its worker id', async () => {
    const id = snowflake.workerId;
    const owner = await redis.get(key(id));
    expect(owner).toMatch(new RegExp(`^${process.pid}:`));
    await redis.del(key(id));
    await snowflake.renew();
    expect(snowflake.workerId).toBe(id);
    expect(await redis.get(key(id))).toBe(owner);
    expect(await redis.ttl(key(id))).toBeGreaterThan(0);
  });

  it('moves to another worker id when another process took its id meanwhile, and ids stay unique', async () => {
    const id = snowflake.workerId;
    await redis.set(key(id), 'another-process', 'EX', 60);
    const before = snowflake.next();
    await snowflake.renew();
    expect(snowflake.workerId).not.toBe(id);
    expect(await redis.get(key(id))).toBe('another-process');
    expect(await redis.get(key(snowflake.workerId))).toMatch(new RegExp(`^${process.pid}:`));
    const after = snowflake.next();
    // Unique, and never earlier in time; within one millisecond a lower new worker id may sort before the old one.
    expect(after).not.toBe(before);
    expect(BigInt(after) >> 22n).toBeGreaterThanOrEqual(BigInt(before) >> 22n);
  });

  it('releases its lease at shutdown only while it is still its own', async () => {
    const id = snowflake.workerId;
    await redis.set(key(id), 'another-process', 'EX', 60);
    await snowflake.onApplicationShutdown();
    expect(await redis.get(key(id))).toBe('another-process');
    await redis.del(key(id));
    // Take the lease again, as the other tests (in any order) expect a service that holds one.
    await snowflake.renew();
    expect(await redis.get(key(snowflake.workerId))).toMatch(new RegExp(`^${process.pid}:`));
  });
});
