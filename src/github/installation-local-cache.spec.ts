import type { HubConfig } from '../config/hub-config';
import { InstallationLocalCache } from './installation-local-cache';

/** A load the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InstallationLocalCache.load (single-flight over a missing entry)', () => {
  // Without Redis: one process, forgets are local.
  const cache = () => new InstallationLocalCache(null, { queuePrefix: 'unit' } as HubConfig);

  it('reads once for every request that misses at the same moment, then serves the stored value', async () => {
    const local = cache();
    const read = deferred<string>();
    const loader = jest.fn(() => read.promise);
    const waiting = Array.from({ length: 20 }, () => local.load('42', 'row:o1', loader));
    expect(loader).toHaveBeenCalledTimes(1);
    read.resolve('row');
    expect(await Promise.all(waiting)).toEqual(Array(20).fill('row'));
    expect(await local.load('42', 'row:o1', loader)).toBe('row');
    expect(loader).toHaveBeenCalledTimes(1);
    // Another key of the same installation, and the same key of another, are loads of their own.
    await local.load('42', 'mintable', async () => 'mintable');
    await local.load('43', 'row:o1', async () => 'other');
    expect(local.get('43', 'row:o1')).toBe('other');
  });

  it('stores nothing read across a forget, and later requests do not join the load that began before it', async () => {
    const local = cache();
    const before = deferred<string>();
    const first = local.load('42', 'row:o1', () => before.promise);
    await local.forget('42');
    const after = jest.fn(async () => 'after the forget');
    const second = local.load('42', 'row:o1', after);
    expect(after).toHaveBeenCalledTimes(1);
    before.resolve('before the forget');
    expect(await first).toBe('before the forget');
    expect(await second).toBe('after the forget');
    expect(local.get('42', 'row:o1')).toBe('after the forget');
  });

  it('shares a failure with its waiters without storing it, and the next request reads again', async () => {
    const local = cache();
    const read = deferred<string>();
    const a = local.load('42', 'k', () => read.promise);
    const b = local.load('42', 'k', () => Promise.resolve('never called'));
    read.reject(new Error('database gone'));
    await expect(a).rejects.toThrow('database gone');
    await expect(b).rejects.toThrow('database gone');
    expect(local.get('42', 'k')).toBeUndefined();
    expect(await local.load('42', 'k', async () => 'back')).toBe('back');
  });

  it('stores for ttlOf(value), nothing at 0, never past its own 5 s', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      const local = cache();
      expect(await local.load('42', 'miss', async () => null, (v) => (v ? 1000 : 0))).toBeNull();
      expect(local.get('42', 'miss')).toBeUndefined();
      await local.load('42', 'short', async () => 'token', () => 1000);
      await local.load('42', 'long', async () => 'row', () => 60_000);
      jest.setSystemTime(1_000_999);
      expect(local.get('42', 'short')).toBe('token');
      jest.setSystemTime(1_001_000);
      expect(local.get('42', 'short')).toBeUndefined();
      jest.setSystemTime(1_004_999);
      expect(local.get('42', 'long')).toBe('row');
      jest.setSystemTime(1_005_000);
      expect(local.get('42', 'long')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
