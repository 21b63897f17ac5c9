import { renderError } from './error-faces';

describe('renderError (default face)', () => {
  it('adds detail to a provider rate limit so GitHub- and TinyOps-style callers find it', () => {
    const { status, body } = renderError('hub', { status: 429, code: 'rate_limited', message: 'GitLab rate limit reached; retry after 60 seconds' }, 'req-1');
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
    expect(renderError('hub', { status: 429, code: 'RATE_LIMITED', message: 'Too many failed authentication attempts; retry later' }, 'r').body).not.toHaveProperty('detail');
    expect(renderError('hub', { status: 404, code: 'NOT_FOUND', message: 'Not found' }, 'r').body).not.toHaveProperty('detail');
  });
});
