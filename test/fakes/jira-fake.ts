import { bearer, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

/**
 * Jira Cloud REST v3 + OAuth 2.0 (3LO), modeled on developer.atlassian.com: `auth.atlassian.com/authorize` and
 * `/oauth/token` (JSON bodies), `api.atlassian.com/oauth/token/accessible-resources`, `/ex/jira/{cloudId}/rest/api/3/...`.
 */
export interface JiraFake extends FakeServer {
  authority: OAuthAuthority;
  env: Record<string, string>;
}

export const JIRA_SITE = { id: '11223344-a1b2-3b33-c444-def123456789', name: 'acme', url: 'https://acme.atlassian.net', scopes: ['read:jira-work'], avatarUrl: '' };

export async function startJiraFake(): Promise<JiraFake> {
  const authority = new OAuthAuthority({ clientId: 'jira-client', clientSecret: 'jira-secret' }, 'jira');
  const projects = [
    { id: '10000', key: 'OPS', name: 'Operations', isPrivate: false },
    { id: '10001', key: 'SEC', name: 'Security', isPrivate: true },
  ];
  const siteApi = `/ex/jira/${JIRA_SITE.id}/rest/api/3`;
  const server = await startFakeServer(async (req) => {
    if (req.path === '/authorize') {
      if (req.query.get('audience') !== 'api.atlassian.com') return { status: 400, json: { error: 'invalid_audience' } };
      return authority.authorize(req);
    }
    if (req.path === '/oauth/token') {
      if (!String(req.headers['content-type']).includes('json')) return { status: 415, json: { error: 'unsupported_media_type' } };
      const outage = await authority.outage();
      if (outage) return outage;
      const result = authority.token(req);
      return 'error' in result ? { status: 403, json: { error: result.error, error_description: 'Unknown or invalid refresh token.' } } : { json: { ...result.tokens, scope: 'read:jira-work offline_access' } };
    }
    if (!authority.valid(bearer(req))) return { status: 401, json: { code: 401, message: 'Unauthorized' } };
    if (req.path === '/oauth/token/accessible-resources') return { json: [JIRA_SITE] };
    if (req.path === `${siteApi}/myself`) return { json: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Hub Bot', active: true } };
    if (req.path === `${siteApi}/project/search`) {
      const startAt = Number(req.query.get('startAt') ?? 0);
      const max = Number(req.query.get('maxResults') ?? 50);
      const q = req.query.get('query')?.toLowerCase();
      const matching = q ? projects.filter((p) => p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)) : projects;
      return { json: { startAt, maxResults: max, total: matching.length, isLast: startAt + max >= matching.length, values: matching.slice(startAt, startAt + max) } };
    }
    return { status: 404, json: { errorMessages: ['Not found'] } };
  });
  return {
    ...server,
    authority,
    env: {
      JIRA_CLIENT_ID: 'jira-client',
      JIRA_CLIENT_SECRET: 'jira-secret',
      JIRA_AUTHORIZE_URL: `${server.url}/authorize`,
      JIRA_TOKEN_URL: `${server.url}/oauth/token`,
      JIRA_API_URL: server.url,
    },
  };
}
