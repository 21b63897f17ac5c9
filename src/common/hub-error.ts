import { ERROR_STATUS, ErrorCode } from './error-codes';
import type { ValidationIssue } from './validation';

export interface HubErrorOptions {
  /** Machine-readable details (validation errors, references, the missing permission, ...). */
  details?: unknown;
  /** The request field the error is about (PostHog's `attr`). */
  attr?: string;
  headers?: Record<string, string>;
  /** Validation failures, rule by rule, for faces that report them in their own terms. */
  issues?: ValidationIssue[];
}

/**
 * A domain error: a catalog code (whose status is fixed in error-codes.ts) and a message. Raise it only through
 * a module's `<module>.errors.ts` factories (a lint rule enforces this); each API face renders it in its dialect.
 */
export class HubError extends Error {
  readonly status: number;
  readonly details?: unknown;
  readonly attr?: string;
  readonly headers?: Record<string, string>;
  readonly issues?: ValidationIssue[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: HubErrorOptions = {},
  ) {
    super(message);
    this.name = 'HubError';
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.attr = options.attr;
    this.headers = options.headers;
    this.issues = options.issues;
  }
}
