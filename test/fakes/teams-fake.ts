import { randomUUID } from 'node:crypto';
import { bearer, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

/** Microsoft identity platform v2.0 (code + PKCE, rotating refresh tokens) and Graph `/me`, `/me/joinedTeams`. */
export interface TeamsFake extends FakeServer {
  authority: OAuthAuthority;
  env: Record<string, string>;
}

export async function startTeamsFake(): Promise<TeamsFake> {
  const authority = new OAuthAuthority({ clientId: 'teams-client', clientSecret: 'teams-secret' }, 'msft');
  // The authorization response carries `session_state` beside `code` and `state` (learn.microsoft.com,
  // "Microsoft identity platform and OAuth 2.0 authorization code flow", successful response).
  authority.redirectExtras = () => ({ session_state: randomUUID() });
  const server = await startFakeServer(async (req) => {
    if (req.path === '/common/oauth2/v2.0/authorize') return authority.authorize(req);
    if (req.path === '/common/oauth2/v2.0/token') {
      const outage = await authority.outage();
      if (outage) return outage;
      const result = authority.token(req);
      return 'error' in result ? { status: 400, json: { error: result.error, error_description: 'AADSTS70000: The provided grant is invalid or malformed.' } } : { json: { ...result.tokens, scope: 'User.Read' } };
    }
    if (!authority.valid(bearer(req))) return { status: 401, json: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } } };
    if (req.path === '/v1.0/me') return { json: { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Adele Vance', userPrincipalName: 'AdeleV@contoso.com' } };
    if (req.path === '/v1.0/me/joinedTeams') return { json: { value: [{ id: '172b0cce-e65d-44ce-9a49-91d9f2e8493a', displayName: 'Contoso Team', visibility: 'private' }] } };
    return { status: 404, json: { error: { code: 'NotFound' } } };
  });
  return {
    ...server,
    authority,
    env: {
      TEAMS_CLIENT_ID: 'teams-client',
      TEAMS_CLIENT_SECRET: 'teams-secret',
      TEAMS_AUTHORIZE_URL: `${server.url}/common/oauth2/v2.0/authorize`,
      TEAMS_TOKEN_URL: `${server.url}/common/oauth2/v2.0/token`,
      TEAMS_API_URL: `${server.url}/v1.0`,
    },
  };
}
