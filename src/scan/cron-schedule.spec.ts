import { nextRun, parseCron } from './cron-schedule';

const next = (expr: string, after: string) => nextRun(parseCron(expr)!, new Date(after))?.toISOString();

describe('cron schedules of scans', () => {
  it('refuses what is not a five-field cron expression', () => {
    for (const bad of ['', '* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '*/0 * * * *', '5-1 * * * *', 'a * * * *', '* * * * * *']) expect(parseCron(bad)).toBeNull();
  });

  it('finds the next minute a schedule selects, in UTC', () => {
    expect(next('*/15 * * * *', '2026-04-30T08:07:30Z')).toBe('2026-04-30T08:15:00.000Z');
    expect(next('0 3 * * *', '2026-04-30T03:00:00Z')).toBe('2026-05-01T03:00:00.000Z');
    expect(next('30 2 * * 1', '2026-04-30T08:00:00Z')).toBe('2026-05-04T02:30:00.000Z');
    expect(next('0 0 1 1 *', '2026-04-30T08:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 9-17/4 * * 1-5', '2026-05-01T18:00:00Z')).toBe('2026-05-04T09:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('runs on either restricted day field, as cron does, and knows Sunday as 0 and 7', () => {
    // The 15th of the month or any Friday: 2026-05-01 is a Friday.
    expect(next('0 12 15 * 5', '2026-04-30T13:00:00Z')).toBe('2026-05-01T12:00:00.000Z');
    expect(next('0 12 * * 7', '2026-04-30T13:00:00Z')).toBe('2026-05-03T12:00:00.000Z');
  });
});
