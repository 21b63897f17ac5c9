/** Longest wait between two attempts, whatever the backoff or a Retry-After header asks for. */
export const MAX_RETRY_DELAY_MS = 4 * 60 * 60 * 1000;

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter: string | null }
  | { kind: 'network'; message: string }
  | { kind: 'blocked'; message: string };

export type AttemptVerdict = { outcome: 'succeeded' } | { outcome: 'retry'; delayMs: number; reason: string } | { outcome: 'failed'; reason: string };

export interface RetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
}

/**
 * What follows an attempt: 2xx succeeds; 5xx, 408, 429, timeouts and connection errors are retried with
 * exponential backoff and jitter (429 and 503 honour Retry-After) until the attempts run out; any other
 * status and the outbound guard's refusal stop at once.
 */
export function judgeAttempt(result: AttemptResult, attemptsMade: number, settings: RetrySettings, random = Math.random): AttemptVerdict {
  if (result.kind === 'blocked') return { outcome: 'failed', reason: result.message };
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) return { outcome: 'succeeded' };
  const retryable = result.kind === 'network' || result.status >= 500 || result.status === 408 || result.status === 429;
  const reason = result.kind === 'network' ? result.message : `HTTP ${result.status}`;
  if (!retryable) return { outcome: 'failed', reason: `${reason}: not retried` };
  if (attemptsMade >= settings.maxAttempts) return { outcome: 'failed', reason: `${reason}: gave up after ${attemptsMade} attempts` };
  const asked = result.kind === 'response' && (result.status === 429 || result.status === 503) ? retryAfterMs(result.retryAfter) : null;
  return { outcome: 'retry', delayMs: asked ?? backoffMs(attemptsMade, settings.retryBaseMs, random), reason };
}

/** Base × 2^(n-1), capped, with ±20 % jitter so failing receivers are not hit by every retry at once. */
export function backoffMs(attemptsMade: number, baseMs: number, random = Math.random): number {
  const plain = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/** Retry-After as seconds or an HTTP date, capped; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_DELAY_MS, Math.max(0, ms)) : null;
}
