import type { ErrorCode } from '../error-codes';

/** A hub error after normalization: a catalog code, its status and a message safe to show. */
export interface NormalizedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  attr?: string;
  headers?: Record<string, string>;
}

/** One API dialect's way of rendering a normalized error: its status (usually the catalog's) and body. */
export type RenderError = (e: NormalizedError, requestId: string) => { status: number; body: unknown };
