import { bearer, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

/** GitLab v4 + OAuth 2 with PKCE, modeled on docs.gitlab.com/api: `/oauth/authorize`, `/oauth/token`, `/api/v4/user`, `/api/v4/projects`. */
export interface GitlabFake extends FakeServer {
  authority: OAuthAuthority;
  /** Personal access tokens the fake accepts. */
  personalTokens: Set<string>;
  env: Record<string, string>;
  /** Answers the next `requests` API calls with GitLab's rate-limit response (429, Retry-After, RateLimit-* headers). */
  rateLimit(retryAfterSeconds: number, requests?: number): void;
}

export const GITLAB_USER = { id: 4242, username: 'acme-bot', name: 'Acme Bot', web_url: 'https://gitlab.example/acme-bot' };

export async function startGitlabFake(): Promise<GitlabFake> {
  const authority = new OAuthAuthority({ clientId: 'gitlab-client', clientSecret: 'gitlab-secret' }, 'glo');
  const personalTokens = new Set<string>(['glpat-good-token']);
  const projects = Array.from({ length: 45 }, (_, i) => ({
    id: 1000 + i,
    path_with_namespace: i % 3 === 0 ? `acme/api-${i}` : `acme/web-${i}`,
    visibility: i % 2 === 0 ? 'private' : 'public',
  }));
  let limitedRequests = 0;
  let retryAfter = 60;
  const server = await startFakeServer(async (req) => {
    if (limitedRequests > 0 && req.path.startsWith('/api/v4/')) {
      // docs.gitlab.com/security/rate_limits: 429, plain-text "Retry later", Retry-After and RateLimit-* headers.
      limitedRequests--;
      const resetAt = Math.floor(Date.now() / 1000) + retryAfter;
      return {
        status: 429,
        text: 'Retry later',
        headers: {
          'retry-after': String(retryAfter),
          'ratelimit-limit': '2000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(resetAt),
          'ratelimit-resettime': new Date(resetAt * 1000).toUTCString(),
        },
      };
    }
    if (req.path === '/oauth/authorize') return authority.authorize(req);
    if (req.path === '/oauth/token') {
      const outage = await authority.outage();
      if (outage) return outage;
      const result = authority.token(req);
      return 'error' in result ? { status: 400, json: { error: result.error, error_description: 'The provided authorization grant is invalid' } } : { json: { ...result.tokens, created_at: Math.floor(Date.now() / 1000) } };
    }
    const token = bearer(req);
    if (!authority.valid(token) && !personalTokens.has(token ?? '')) return { status: 401, json: { message: '401 Unauthorized' } };
    if (req.path === '/api/v4/user') return { json: GITLAB_USER };
    if (req.path === '/api/v4/projects') {
      const page = Number(req.query.get('page') ?? 1);
      const perPage = Number(req.query.get('per_page') ?? 20);
      const search = req.query.get('search');
      const matching = search ? projects.filter((p) => p.path_with_namespace.includes(search)) : projects;
      return { json: matching.slice((page - 1) * perPage, page * perPage), headers: { 'x-total': String(matching.length), 'x-page': String(page), 'x-per-page': String(perPage) } };
    }
    return { status: 404, json: { message: '404 Not Found' } };
  });
  return {
    ...server,
    authority,
    personalTokens,
    rateLimit(retryAfterSeconds, requests = 1) {
      retryAfter = retryAfterSeconds;
      limitedRequests = requests;
    },
    env: {
      GITLAB_CLIENT_ID: 'gitlab-client',
      GITLAB_CLIENT_SECRET: 'gitlab-secret',
      GITLAB_AUTHORIZE_URL: `${server.url}/oauth/authorize`,
      GITLAB_TOKEN_URL: `${server.url}/oauth/token`,
      GITLAB_API_URL: `${server.url}/api/v4`,
    },
  };
}
