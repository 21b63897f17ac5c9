import type { ErrorCode } from '../error-codes';
import type { ValidationIssue } from '../validation';

/** A hub error after normalization: a catalog code, its status and a message safe to show. */
export interface NormalizedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  attr?: string;
  headers?: Record<string, string>;
  issues?: ValidationIssue[];
}

/** One API dialect's way of rendering a normalized error: its status (usually the catalog's), body and own headers. */
export type RenderError = (e: NormalizedError, requestId: string) => { status: number; body: unknown; headers?: Record<string, string> };
