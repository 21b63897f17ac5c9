import {
  forwardedRequestHeaders,
  githubNarrowing,
  pathTemplate,
  retriesFor,
  returnedResponseHeaders,
  rewriteLocation,
  splitProxyUrl,
  targetUrl,
} from './proxy-request';

describe('proxy request rules', () => {
  describe('splitProxyUrl', () => {
    it('keeps the rest of the URL percent-encoded and separates the query', () => {
      expect(splitProxyUrl('/api/proxy/123/projects/acme%2Fapi/issues?state=opened&x=%20')).toEqual({
        prefix: '/api/proxy/123',
        path: '/projects/acme%2Fapi/issues',
        query: 'state=opened&x=%20',
      });
    });

    it('treats a lone trailing slash as the base itself', () => {
      expect(splitProxyUrl('/api/proxy/123/')).toEqual({ prefix: '/api/proxy/123', path: '', query: '' });
      expect(splitProxyUrl('/api/proxy/123?wait=true')).toEqual({ prefix: '/api/proxy/123', path: '', query: 'wait=true' });
    });
  });

  describe('targetUrl', () => {
    const base = 'https://api.atlassian.com/ex/jira/site-1';

    it('resolves beneath the base path', () => {
      expect(targetUrl(base, { path: '/rest/api/3/myself', query: 'expand=groups' }).toString()).toBe('https://api.atlassian.com/ex/jira/site-1/rest/api/3/myself?expand=groups');
      expect(targetUrl('https://api.github.com', { path: '', query: '' }).toString()).toBe('https://api.github.com/');
      expect(targetUrl('https://discord.com/api/webhooks/1/tok', { path: '', query: 'wait=true' }).toString()).toBe('https://discord.com/api/webhooks/1/tok?wait=true');
    });

    it('keeps encoded slashes inside a segment', () => {
      expect(targetUrl('https://gitlab.com/api/v4', { path: '/projects/acme%2Fapi', query: '' }).pathname).toBe('/api/v4/projects/acme%2Fapi');
    });

    it.each([
      ['/../site-2/rest', "'.' and '..'"],
      ['/%2e%2e/site-2', "'.' and '..'"],
      ['/rest/%2E', "'.' and '..'"],
      ['/rest/..%2F..%2Fsite-2', "'.' and '..'"],
      ['/a//b', 'empty path segments'],
      ['//evil.example/x', 'empty path segments'],
      ['/https:%2F%2Fevil.example', 'absolute URLs'],
      ['/a\\b', 'backslashes'],
      ['/a%5Cb', 'backslashes'],
      ['/a%0d%0aX-Injected:1', 'backslashes and control characters'],
      ['/a%zz', 'malformed percent-encoding'],
    ])('refuses %s', (path, reason) => {
      expect(() => targetUrl(base, { path, query: '' })).toThrow(expect.objectContaining({ status: 400, code: 'PROXY_PATH_REFUSED', message: expect.stringContaining(reason) }));
    });
  });

  it('forwards safe request headers only', () => {
    const out = forwardedRequestHeaders({
      host: 'hub',
      authorization: 'Bearer ihk_secret',
      cookie: 'a=b',
      'private-token': 'glpat',
      connection: 'keep-alive, x-listed',
      'x-listed': '1',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'x-hub-retries': '2',
      'x-organization-id': 'org',
      'x-forwarded-for': '10.0.0.1',
      accept: 'application/vnd.github+json',
      'if-none-match': '"e"',
      'content-type': 'application/json',
      'content-length': '12',
    });
    expect(out).toEqual({ accept: 'application/vnd.github+json', 'if-none-match': '"e"', 'content-type': 'application/json', 'content-length': '12' });
  });

  it('returns provider headers without hop-by-hop and authentication headers', () => {
    const out = returnedResponseHeaders({
      link: '<x>; rel="next"',
      etag: '"e"',
      'x-ratelimit-remaining': '10',
      'set-cookie': ['a=b'],
      'www-authenticate': 'Bearer',
      connection: 'close, x-hop',
      'x-hop': '1',
      'transfer-encoding': 'chunked',
      'content-length': '3',
    });
    expect(out).toEqual({ link: '<x>; rel="next"', etag: '"e"', 'x-ratelimit-remaining': '10', 'content-length': '3' });
  });

  it('defaults retries by method and bounds X-Hub-Retries', () => {
    expect(retriesFor('GET', {})).toBe(2);
    expect(retriesFor('PUT', {})).toBe(2);
    expect(retriesFor('POST', {})).toBe(0);
    expect(retriesFor('PATCH', {})).toBe(0);
    expect(retriesFor('POST', { 'x-hub-retries': '3' })).toBe(3);
    for (const bad of ['6', '-1', 'two', '1.5', '']) expect(() => retriesFor('GET', { 'x-hub-retries': bad })).toThrow(expect.objectContaining({ status: 400, code: 'PROXY_HEADER_INVALID' }));
  });

  it('reads the GitHub narrowing headers', () => {
    expect(githubNarrowing({})).toBeNull();
    expect(githubNarrowing({ 'x-hub-github-repositories': 'api, web', 'x-hub-github-permissions': 'issues=write, contents=read' })).toEqual({
      repositories: ['api', 'web'],
      permissions: { issues: 'write', contents: 'read' },
    });
    expect(() => githubNarrowing({ 'x-hub-github-repositories': 'acme/api' })).toThrow(expect.objectContaining({ code: 'PROXY_HEADER_INVALID' }));
    expect(() => githubNarrowing({ 'x-hub-github-permissions': 'issues' })).toThrow(expect.objectContaining({ code: 'PROXY_HEADER_INVALID' }));
  });

  it('logs a path template, never ids or tokens', () => {
    expect(pathTemplate('/repos/acme/api/issues/42/comments')).toBe('/repos/acme/api/issues/{id}/comments');
    expect(pathTemplate('/messages/1049397329893400100')).toBe('/messages/{id}');
    expect(pathTemplate('/teams/172b0cce-e65d-44ce-9a49-91d9f2e8493a')).toBe('/teams/{id}');
    expect(pathTemplate('')).toBe('/');
  });

  it('rewrites a Location beneath the base to the proxy and leaves others alone', () => {
    const target = new URL('https://gitlab.com/api/v4/projects/1');
    expect(rewriteLocation('https://gitlab.com/api/v4/projects/2?x=1', target, 'https://gitlab.com/api/v4', '/api/proxy/9')).toBe('/api/proxy/9/projects/2?x=1');
    expect(rewriteLocation('/api/v4/projects/3', target, 'https://gitlab.com/api/v4', '/api/proxy/9')).toBe('/api/proxy/9/projects/3');
    expect(rewriteLocation('https://gitlab.com/other', target, 'https://gitlab.com/api/v4', '/api/proxy/9')).toBe('https://gitlab.com/other');
    expect(rewriteLocation('https://codeload.github.com/x.tar.gz', target, 'https://gitlab.com/api/v4', '/api/proxy/9')).toBe('https://codeload.github.com/x.tar.gz');
  });
});
