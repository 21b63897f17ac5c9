import { ErrorCode } from '../error-codes';
import type { ValidationIssue } from '../validation';
import type { NormalizedError, RenderError } from './error-face';

/**
 * Infisical's error name for each status: the `name` of the error classes in Infisical/infisical
 * backend/src/lib/errors/index.ts, as backend/src/server/plugins/error-handler.ts sends them (a CASL refusal is
 * `PermissionDenied`, a zod failure `ValidationFailure`).
 */
const NAME_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'UnauthorizedError',
  403: 'PermissionDenied',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  422: 'ValidationFailure',
  429: 'RateLimitExceeded',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeoutError',
};

/** How Infisical answers a hub code when it differs from the status's name: its status, error name and text. */
interface InfisicalSpelling {
  status?: number;
  error?: string;
  message?: string;
}

/** The Infisical face's table; any code not listed keeps the catalog's status, that status's name and the hub's text. */
export const INFISICAL_ERRORS: Readonly<Partial<Record<ErrorCode, InfisicalSpelling>>> = {
  // Schema failures (zod) are 422 ValidationFailure with the issues as `message`.
  [ErrorCode.ValidationFailed]: { status: 422, error: 'ValidationFailure' },
  // verify-auth.ts: `throw new UnauthorizedError({ message: "Token missing" })`.
  [ErrorCode.CredentialsMissing]: { message: 'Token missing' },
  // github-connection-fns.ts throws ForbiddenRequestError, whose name is "ForbiddenError".
  [ErrorCode.GithubInstallationAccessDenied]: { error: 'ForbiddenError' },
};

const quoted = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' | ');

/** A neutral issue as zod (v3) reports it: `{code, message, path, ...}` with zod's own codes and fields. */
export function toZodIssue(issue: ValidationIssue): Record<string, unknown> {
  const { path } = issue;
  const zodCode = issue.context?.zod;
  // A rule upstream writes as a `.refine()` is a custom issue, whatever check the hub uses for it.
  if (zodCode === 'custom') return { code: 'custom', message: issue.message, path };
  if (zodCode === 'invalid_union_discriminator' && (issue.kind === 'required' || issue.kind === 'invalid_enum' || issue.kind === 'invalid_type')) {
    return { code: 'invalid_union_discriminator', options: issue.options ?? [], path, message: `Invalid discriminator value. Expected ${quoted(issue.options ?? [])}` };
  }
  switch (issue.kind) {
    case 'required':
      return { code: 'invalid_type', expected: issue.expected, received: 'undefined', path, message: 'Required' };
    case 'invalid_type':
      return { code: 'invalid_type', expected: issue.expected, received: issue.received, path, message: `Expected ${issue.expected}, received ${issue.received}` };
    case 'too_small':
      return { code: 'too_small', minimum: issue.minimum, type: issue.measures, inclusive: true, exact: false, message: issue.message, path };
    case 'too_big':
      return { code: 'too_big', maximum: issue.maximum, type: issue.measures, inclusive: true, exact: false, message: issue.message, path };
    case 'invalid_enum':
      return { received: issue.value, code: 'invalid_enum_value', options: issue.options, path, message: `Invalid enum value. Expected ${quoted(issue.options ?? [])}, received '${String(issue.value)}'` };
    case 'invalid_literal':
      return { received: issue.value, code: 'invalid_literal', expected: issue.options?.[0], path, message: issue.message };
    case 'invalid_string':
      return { validation: issue.rule === 'isUuid' ? 'uuid' : issue.rule === 'matches' ? 'regex' : issue.rule, code: 'invalid_string', message: issue.message, path };
    case 'unrecognized_key':
      return { code: 'unrecognized_keys', keys: [path[path.length - 1]], path: path.slice(0, -1), message: `Unrecognized key(s) in object: '${String(path[path.length - 1])}'` };
    default:
      return { code: 'custom', message: issue.message, path };
  }
}

/** A 422's `message`: the issues as zod lists them; a failure found past the schema is one custom issue. */
function zodIssues(e: NormalizedError): Array<Record<string, unknown>> {
  if (e.issues && e.issues.length > 0) return e.issues.map(toZodIssue);
  return [{ code: 'custom', message: e.message, path: e.attr ? e.attr.split('.') : [] }];
}

/** Infisical's body: `{reqId, statusCode, message, error}`; a 422's `message` is zod's array of issues. */
export const renderInfisicalError: RenderError = (e, requestId) => {
  const spelling = INFISICAL_ERRORS[e.code];
  const status = spelling?.status ?? e.status;
  const error = spelling?.error ?? NAME_BY_STATUS[status] ?? 'Error';
  const message = status === 422 ? zodIssues(e) : (spelling?.message ?? e.message);
  return { status, body: { reqId: requestId, statusCode: status, message, error } };
};
