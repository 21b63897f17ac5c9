/**
 * Domain errors carry a stable code and the HTTP status they map to. Every API face renders them
 * in its own body shape (see error-faces.ts); services never build HTTP responses themselves.
 */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** PostHog's `attr`: the request field the error is about. */
    readonly attr?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HubError';
  }
}
