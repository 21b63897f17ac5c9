import { ErrorCode } from '../error-codes';
import type { RenderError } from './error-face';

/** DRF's `type` for each status (drf-exceptions-hog). */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'authentication_error',
  404: 'invalid_request',
  409: 'invalid_request',
  413: 'invalid_request',
  422: 'validation_error',
  429: 'throttled_error',
};

/** How PostHog spells a hub code (DRF's code and, where upstream has a fixed text, its detail). */
interface PosthogSpelling {
  code: string;
  detail?: string;
}

/**
 * The PostHog face's table: a code listed here is sent as PostHog's; any other code is sent lower-cased with the
 * hub's message. Add an entry when a PostHog client expects upstream's code or text.
 */
export const POSTHOG_ERRORS: Readonly<Partial<Record<ErrorCode, PosthogSpelling>>> = {};

/** PostHog's body: `{type, code, detail, attr}`. */
export const renderPosthogError: RenderError = (e) => {
  const spelling = POSTHOG_ERRORS[e.code];
  return {
    status: e.status,
    body: {
      type: TYPE_BY_STATUS[e.status] ?? (e.status >= 500 ? 'server_error' : 'invalid_request'),
      code: spelling?.code ?? e.code.toLowerCase(),
      detail: spelling?.detail ?? e.message,
      attr: e.attr ?? null,
    },
  };
};
