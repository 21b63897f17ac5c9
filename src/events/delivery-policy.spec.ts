import { backoffMs, judgeAttempt, MAX_RETRY_DELAY_MS, retryAfterMs } from './delivery-policy';

const settings = { maxAttempts: 16, retryBaseMs: 10_000 };
const response = (status: number, retryAfter: string | null = null) => ({ kind: 'response' as const, status, retryAfter });

describe('judgeAttempt', () => {
  it('succeeds on 2xx', () => {
    expect(judgeAttempt(response(200), 1, settings)).toEqual({ outcome: 'succeeded' });
    expect(judgeAttempt(response(204), 1, settings)).toEqual({ outcome: 'succeeded' });
  });

  it.each([500, 502, 503, 408, 429])('retries %i', (status) => {
    expect(judgeAttempt(response(status), 1, settings, () => 0.5)).toEqual({ outcome: 'retry', delayMs: 10_000, reason: `HTTP ${status}` });
  });

  it.each([301, 400, 401, 403, 404, 410, 422])('stops on %i', (status) => {
    expect(judgeAttempt(response(status), 1, settings)).toEqual({ outcome: 'failed', reason: `HTTP ${status}: not retried` });
  });

  it('retries timeouts and connection errors, never what the outbound guard refused', () => {
    expect(judgeAttempt({ kind: 'network', message: 'ECONNREFUSED' }, 2, settings, () => 0.5)).toMatchObject({ outcome: 'retry', delayMs: 20_000 });
    expect(judgeAttempt({ kind: 'blocked', message: 'refused' }, 1, settings)).toEqual({ outcome: 'failed', reason: 'refused' });
  });

  it('honours Retry-After on 429 and 503, capped', () => {
    expect(judgeAttempt(response(429, '7'), 1, settings)).toMatchObject({ outcome: 'retry', delayMs: 7000 });
    expect(judgeAttempt(response(503, '999999'), 1, settings)).toMatchObject({ outcome: 'retry', delayMs: MAX_RETRY_DELAY_MS });
    expect(judgeAttempt(response(500, '7'), 1, settings, () => 0.5)).toMatchObject({ delayMs: 10_000 });
  });

  it('gives up when the attempts run out', () => {
    expect(judgeAttempt(response(500), 16, settings)).toEqual({ outcome: 'failed', reason: 'HTTP 500: gave up after 16 attempts' });
  });

  it('spreads the default schedule over about a day', () => {
    let total = 0;
    for (let n = 1; n < settings.maxAttempts; n++) total += backoffMs(n, settings.retryBaseMs, () => 0.5);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });
});

describe('backoffMs and retryAfterMs', () => {
  it('doubles, caps and jitters by ±20 %', () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, () => 0.5)).toBe(4000);
    expect(backoffMs(3, 1000, () => 0)).toBe(3200);
    expect(backoffMs(3, 1000, () => 1)).toBe(4800);
    expect(backoffMs(40, 1000, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
