import { ErrorCode } from '../error-codes';
import type { ValidationIssue } from '../validation';
import type { NormalizedError, RenderError } from './error-face';

/**
 * PostHog's error bodies come from drf-exceptions-hog (PostHog/drf-exceptions-hog exceptions_hog/handler.py):
 * `{type, code, detail, attr}`, the type chosen by the DRF exception class, the code and detail being DRF's
 * (rest_framework/exceptions.py and the serializer fields' `default_error_messages`), and only the first failure
 * of a validation error reported, `attr` joining nested keys with `__`.
 */

/** drf-exceptions-hog's `type` for each status, as its exception classes map to them. */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'authentication_error',
  404: 'invalid_request',
  405: 'invalid_request',
  409: 'invalid_request',
  413: 'invalid_request',
  415: 'invalid_request',
  422: 'validation_error',
  429: 'throttled_error',
};

/** How PostHog spells a hub code: DRF's code and, where upstream has a fixed text, its detail; its type if not the status's. */
interface PosthogSpelling {
  code: string;
  detail?: string;
  type?: string;
  /** `null` where upstream raises the error from the view (no field), whatever field the hub names. */
  attr?: null;
}

const NOT_FOUND: PosthogSpelling = { code: 'not_found', detail: 'Not found.' };
const NO_PROJECT_PERMISSION: PosthogSpelling = { code: 'permission_denied', detail: "You don't have sufficient permissions in the project." };

/**
 * The PostHog face's table: a code listed here is sent as PostHog's; any other code is sent lower-cased with the
 * hub's message. Add an entry when a PostHog client expects upstream's code or text.
 */
export const POSTHOG_ERRORS: Readonly<Partial<Record<ErrorCode, PosthogSpelling>>> = {
  // rest_framework.exceptions.NotAuthenticated / AuthenticationFailed.
  [ErrorCode.CredentialsMissing]: { code: 'not_authenticated', detail: 'Authentication credentials were not provided.' },
  [ErrorCode.Unauthenticated]: { code: 'authentication_failed', detail: 'Incorrect authentication credentials.' },
  // posthog/permissions.py APIScopePermission keeps its own text ("API key missing required scope '<scope>'").
  [ErrorCode.MissingScope]: { code: 'permission_denied' },
  [ErrorCode.MissingRole]: NO_PROJECT_PERMISSION,
  [ErrorCode.MissingPermission]: NO_PROJECT_PERMISSION,
  // IntegrationSerializer.create's PermissionDenied keeps its own text.
  [ErrorCode.IntegrationOverwriteForbidden]: { code: 'permission_denied' },
  [ErrorCode.Forbidden]: { code: 'permission_denied', detail: 'You do not have permission to perform this action.' },
  [ErrorCode.RateLimited]: { code: 'throttled' },
  // Django's Http404 becomes NotFound: every missing object answers the same text.
  [ErrorCode.NotFound]: NOT_FOUND,
  [ErrorCode.ProjectNotFound]: NOT_FOUND,
  [ErrorCode.OrganizationNotFound]: NOT_FOUND,
  [ErrorCode.IntegrationNotFound]: NOT_FOUND,
  [ErrorCode.MethodNotAllowed]: { code: 'method_not_allowed' },
  // rest_framework.exceptions.ParseError (type invalid_request, status 400).
  [ErrorCode.MalformedJson]: { code: 'parse_error', type: 'invalid_request' },
  [ErrorCode.UnsupportedMediaType]: { code: 'unsupported_media_type' },
  [ErrorCode.ValidationFailed]: { code: 'invalid_input' },
  // A DRF ValidationError raised with a text and no code has code `invalid`, which drf-exceptions-hog spells invalid_input.
  [ErrorCode.GithubRequestInvalid]: { code: 'invalid_input' },
  [ErrorCode.InvalidNext]: { code: 'invalid_input', attr: null },
};

/** DRF's field messages (`default_error_messages` of CharField, IntegerField, ChoiceField, ...), with their codes. */
function drfFieldError(issue: ValidationIssue): { code: string; detail: string } {
  switch (issue.kind) {
    case 'required':
      return { code: 'required', detail: 'This field is required.' };
    case 'invalid_type':
      if (issue.received === 'null') return { code: 'null', detail: 'This field may not be null.' };
      if (issue.expected === 'object') return { code: 'not_a_dict', detail: `Expected a dictionary of items but got type "${issue.received === 'array' ? 'list' : (issue.received ?? 'str')}".` };
      if (issue.expected === 'array') return { code: 'not_a_list', detail: `Expected a list of items but got type "${issue.received ?? 'str'}".` };
      if (issue.expected === 'number') return { code: 'invalid_input', detail: 'A valid integer is required.' };
      if (issue.expected === 'boolean') return { code: 'invalid_input', detail: 'Must be a valid boolean.' };
      return { code: 'invalid_input', detail: 'Not a valid string.' };
    case 'custom':
    case 'invalid_string':
      if (issue.rule === 'isNotEmpty') return { code: 'blank', detail: 'This field may not be blank.' };
      return { code: 'invalid_input', detail: issue.message };
    case 'too_small':
      if (issue.measures === 'string' && issue.value === '') return { code: 'blank', detail: 'This field may not be blank.' };
      if (issue.measures === 'number') return { code: 'min_value', detail: `Ensure this value is greater than or equal to ${issue.minimum}.` };
      return { code: 'min_length', detail: `Ensure this field has at least ${issue.minimum} characters.` };
    case 'too_big':
      if (issue.measures === 'number') return { code: 'max_value', detail: `Ensure this value is less than or equal to ${issue.maximum}.` };
      return { code: 'max_length', detail: `Ensure this field has no more than ${issue.maximum} characters.` };
    case 'invalid_enum':
      return { code: 'invalid_choice', detail: `"${String(issue.value)}" is not a valid choice.` };
    default:
      return { code: 'invalid_input', detail: issue.message };
  }
}

/** drf-exceptions-hog reports the first failure of a validation error, `attr` being its path joined by `__`. */
function firstValidationFailure(e: NormalizedError): { code: string; detail: string; attr: string | null } | undefined {
  const issue = e.issues?.[0];
  if (!issue) return undefined;
  return { ...drfFieldError(issue), attr: issue.path.length > 0 ? issue.path.join('__') : null };
}

/** PostHog's body: `{type, code, detail, attr}`. */
export const renderPosthogError: RenderError = (e) => {
  const spelling = POSTHOG_ERRORS[e.code];
  const field = e.code === ErrorCode.ValidationFailed ? firstValidationFailure(e) : undefined;
  // DRF's JSONParser: "JSON parse error - <the parser's reason>".
  const parseDetail = e.code === ErrorCode.MalformedJson ? `JSON parse error - ${e.message.replace(/^Malformed JSON body: /, '')}` : undefined;
  return {
    status: e.status,
    body: {
      type: spelling?.type ?? TYPE_BY_STATUS[e.status] ?? (e.status >= 500 ? 'server_error' : 'invalid_request'),
      code: field?.code ?? spelling?.code ?? e.code.toLowerCase(),
      detail: field?.detail ?? parseDetail ?? spelling?.detail ?? e.message,
      attr: field ? field.attr : spelling?.attr === null ? null : (e.attr?.replace(/\./g, '__') ?? null),
    },
  };
};
