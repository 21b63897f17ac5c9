import { getHeapSpaceStatistics } from 'node:v8';
import { disablePretenuring, trimHeapAfterStart } from './v8-heap';

const youngMb = () => (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20;

describe('trimHeapAfterStart', () => {
  it('gives back a young generation that start-up grew, and says how much', () => {
    // What building the app does: many objects surviving a few collections each, so V8 grows its semi-spaces.
    let survivors: Array<{ i: number; s: string }> = [];
    for (let i = 0; i < 2_000_000; i++) {
      survivors.push({ i, s: `v${i}` });
      if (survivors.length > 400_000) survivors = survivors.slice(200_000);
    }
    survivors = [];
    const grown = youngMb();
    expect(grown).toBeGreaterThanOrEqual(8);

    const trim = trimHeapAfterStart();

    expect(trim.youngBeforeMb).toBeCloseTo(grown, -1);
    expect(trim.youngAfterMb).toBeLessThanOrEqual(4);
    expect(youngMb()).toBeLessThanOrEqual(4);
    expect(trim.afterMb).toBeLessThan(trim.beforeMb);
    expect(trim.ms).toBeGreaterThanOrEqual(0);
    expect(survivors).toHaveLength(0);
  });
});

describe('disablePretenuring', () => {
  it('turns allocation-site pretenuring off unless the process was started with an explicit choice', () => {
    expect(disablePretenuring([], '')).toBe(true);
    expect(disablePretenuring(['--max-semi-space-size=16'], '--enable-source-maps')).toBe(true);
    expect(disablePretenuring(['--allocation-site-pretenuring'], '')).toBe(false);
    expect(disablePretenuring([], '--no-allocation-site-pretenuring')).toBe(false);
    expect(disablePretenuring(['--allocation_site_pretenuring'], '')).toBe(false);
  });
});
