import { Logger } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import { credentialsMissing, unauthenticated } from '../auth/auth.errors';
import { malformedJson, methodNotAllowed, providerRateLimited, validationFailed } from './common.errors';
import { ERROR_STATUS, ErrorCode } from './error-codes';
import { normalizeError, renderError, unmatchedFace } from './error-faces';
import { POSTHOG_ERRORS } from './faces/posthog.face';
import { INFISICAL_ERRORS } from './faces/infisical.face';
import { GITHUB_ERRORS } from './faces/github.face';

const logger = new Logger('spec');
const normalized = (err: unknown) => normalizeError(err, logger);

describe('the error catalog', () => {
  it('gives every code one 4xx/5xx status and one distinct value', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    for (const code of codes) expect(ERROR_STATUS[code]).toBeLessThan(600);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...codes].sort());
  });

  it('keeps the face tables to catalog codes', () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    for (const table of [POSTHOG_ERRORS, INFISICAL_ERRORS, GITHUB_ERRORS]) for (const code of Object.keys(table)) expect(codes).toContain(code);
  });

  it('gives framework errors the generic code of their status', () => {
    expect(normalized(new NotFoundException('Cannot GET /nope'))).toMatchObject({ status: 404, code: ErrorCode.NotFound, message: 'Cannot GET /nope' });
    expect(normalized({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).toMatchObject({ status: 413, code: ErrorCode.PayloadTooLarge });
    expect(normalized(new TypeError('boom'))).toEqual({ status: 500, code: ErrorCode.InternalError, message: 'Internal server error' });
  });
});

describe('renderError (default face)', () => {
  it('adds detail to a provider rate limit so GitHub- and TinyOps-style callers find it', () => {
    const { status, body } = renderError('hub', normalized(providerRateLimited('GitLab rate limit reached; retry after 60 seconds', '60')), 'req-1');
    expect(status).toBe(429);
    expect(body).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: 'GitLab rate limit reached; retry after 60 seconds',
      detail: 'GitLab rate limit reached; retry after 60 seconds',
      requestId: 'req-1',
    });
  });

  it('leaves other errors, including our own authentication throttle, without detail', () => {
    expect(renderError('hub', { status: 429, code: ErrorCode.RateLimited, message: 'Too many failed authentication attempts; retry later' }, 'r').body).not.toHaveProperty('detail');
    expect(renderError('hub', { status: 404, code: ErrorCode.NotFound, message: 'Not found' }, 'r').body).not.toHaveProperty('detail');
  });
});

describe('the dialect faces', () => {
  const invalid = normalized(validationFailed('name: must be a slug', { attr: 'name' }));

  it('PostHog: DRF type by status, DRF codes and texts, attr', () => {
    expect(renderError('posthog', invalid, 'r')).toEqual({ status: 400, body: { type: 'validation_error', code: 'invalid_input', detail: 'name: must be a slug', attr: 'name' } });
    const required = normalized(validationFailed('bad', { issues: [{ kind: 'required', path: ['config', 'domain'], rule: 'isString', message: 'x', expected: 'string' }] }));
    expect(renderError('posthog', required, 'r').body).toEqual({ type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'config__domain' });
    expect(renderError('posthog', normalized(credentialsMissing()), 'r')).toEqual({
      status: 401,
      body: { type: 'authentication_error', code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null },
    });
    expect(renderError('posthog', normalized(unauthenticated()), 'r').body).toMatchObject({ code: 'authentication_failed', detail: 'Incorrect authentication credentials.' });
    expect(renderError('posthog', normalized(malformedJson('Malformed JSON body: x')), 'r')).toEqual({
      status: 400,
      body: { type: 'invalid_request', code: 'parse_error', detail: 'JSON parse error - x', attr: null },
    });
    expect(renderError('posthog', normalized(methodNotAllowed('PATCH')), 'r')).toEqual({
      status: 405,
      body: { type: 'invalid_request', code: 'method_not_allowed', detail: 'Method "PATCH" not allowed.', attr: null },
    });
  });

  it('Infisical: schema failures are 422 ValidationFailure, other codes keep their status', () => {
    // A failure without rule-by-rule issues is one custom zod issue at the field it names.
    expect(renderError('infisical', invalid, 'r')).toEqual({ status: 422, body: { reqId: 'r', statusCode: 422, message: [{ code: 'custom', message: 'name: must be a slug', path: ['name'] }], error: 'ValidationFailure' } });
    const issues = normalized(
      validationFailed('bad', { issues: [{ kind: 'too_small', path: ['name'], rule: 'minLength', message: 'name field must be at least 1 lowercase character', minimum: 1, measures: 'string' }] }),
    );
    expect(renderError('infisical', issues, 'r').body).toMatchObject({
      message: [{ code: 'too_small', minimum: 1, type: 'string', inclusive: true, exact: false, path: ['name'], message: 'name field must be at least 1 lowercase character' }],
    });
    expect(renderError('infisical', normalized(credentialsMissing()), 'r').body).toEqual({ reqId: 'r', statusCode: 401, message: 'Token missing', error: 'UnauthorizedError' });
    expect(renderError('hub', normalized(credentialsMissing()), 'r').body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Invalid or missing API key' });
    expect(renderError('infisical', { status: 404, code: ErrorCode.AppConnectionNotFound, message: 'gone' }, 'r').body).toMatchObject({ statusCode: 404, error: 'NotFound' });
  });

  it("GitHub: GitHub's body, its texts and 422 for validation, the request id as X-GitHub-Request-Id", () => {
    expect(renderError('github', { status: 404, code: ErrorCode.GithubInstallationNotFound, message: 'GitHub installation 1 was not found' }, 'r')).toEqual({
      status: 404,
      body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' },
      headers: { 'x-github-request-id': 'r' },
    });
    const details = [{ field: 'repositories', errors: ['repositories must be an array'] }];
    expect(renderError('github', normalized(validationFailed('repositories: repositories must be an array', { details })), 'r')).toMatchObject({
      status: 422,
      body: { message: 'Validation Failed', errors: [{ field: 'repositories', code: 'invalid', message: 'repositories: repositories must be an array' }] },
    });
    expect(renderError('github', normalized(new TypeError('boom')), 'r').body).toEqual({ message: 'Server Error', documentation_url: 'https://docs.github.com/rest' });
  });

  it('GitHub preview routes: message and documentation_url beside the hub fields', () => {
    const { status, body } = renderError('github-preview', { status: 404, code: ErrorCode.GithubInstallationNotFound, message: 'GitHub installation 1 was not found' }, 'r');
    expect(status).toBe(404);
    expect(body).toMatchObject({ message: 'GitHub installation 1 was not found', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\/rest/), code: 'GITHUB_INSTALLATION_NOT_FOUND', requestId: 'r' });
  });
});

describe('unmatchedFace', () => {
  it("gives a path under Infisical's prefix Infisical's face, and every other path the hub's", () => {
    for (const url of ['/api/v1/app-connections', '/api/v1/app-connections?x=1', '/api/v1/app-connections/github/access-token', '/api/v1/app-connections/nope/x']) expect(unmatchedFace(url)).toBe('infisical');
    for (const url of ['/api/v1/app-connectionsx', '/api/v1/app', '/api/nope', '/', '/api/projects/1/integrations/x']) expect(unmatchedFace(url)).toBe('hub');
  });
});
