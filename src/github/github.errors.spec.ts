import { installationNotFound, RATE_LIMIT_MESSAGE, translateGithubError } from './github.errors';

const httpError = (status: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { name: 'HttpError', status, response: { headers, data: { message } } });

describe('translateGithubError', () => {
  it('maps a primary rate limit to 429 with Retry-After from the reset time', () => {
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    const e = translateGithubError(httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }));
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', message: RATE_LIMIT_MESSAGE });
    expect(Number(e.headers?.['retry-after'])).toBeGreaterThanOrEqual(29);
  });

  it('maps a secondary rate limit to 429 honoring Retry-After', () => {
    const e = translateGithubError(httpError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '17' }));
    expect(e).toMatchObject({ status: 429, headers: { 'retry-after': '17' } });
  });

  it('names the missing permission', () => {
    const e = translateGithubError(httpError(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': 'contents=read' }));
    expect(e).toMatchObject({ status: 403, code: 'GITHUB_PERMISSION_MISSING' });
    expect(e.message).toContain('contents=read');
  });

  it('uses the caller-supplied 404 and never answers 500', () => {
    const nf = installationNotFound('42');
    expect(translateGithubError(httpError(404, 'Not Found'), { notFound: nf })).toBe(nf);
    expect(translateGithubError(httpError(500, 'boom')).status).toBe(502);
    expect(translateGithubError(new TypeError('fetch failed')).status).toBe(502);
    expect(translateGithubError(httpError(401, 'Bad credentials')).status).toBe(502);
  });
});
