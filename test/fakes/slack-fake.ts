import { bearer, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

/** Slack Web API + OAuth v2 (token rotation), modeled on api.slack.com: `oauth.v2.access`, `auth.test`, `conversations.list`. */
export interface SlackFake extends FakeServer {
  authority: OAuthAuthority;
  env: Record<string, string>;
}

export const SLACK_TEAM = { id: 'T0001', name: 'Acme Slack', url: 'https://acme.slack.com/' };

export async function startSlackFake(): Promise<SlackFake> {
  const authority = new OAuthAuthority({ clientId: 'slack-client', clientSecret: 'slack-secret' }, 'xoxe.xoxb');
  const channels = [
    { id: 'C01', name: 'general', is_private: false },
    { id: 'C02', name: 'alerts', is_private: false },
    { id: 'C03', name: 'ops-private', is_private: true },
  ];
  const server = await startFakeServer(async (req) => {
    if (req.path === '/oauth/v2/authorize') return authority.authorize(req);
    if (req.path === '/api/oauth.v2.access') {
      const outage = await authority.outage();
      if (outage) return outage;
      const result = authority.token(req);
      if ('error' in result) return { json: { ok: false, error: result.error === 'invalid_grant' ? 'invalid_refresh_token' : result.error } };
      return { json: { ok: true, ...result.tokens, token_type: 'bot', scope: 'chat:write,channels:read', bot_user_id: 'U0BOT', app_id: 'A01', team: { id: SLACK_TEAM.id, name: SLACK_TEAM.name } } };
    }
    if (!authority.valid(bearer(req))) return { json: { ok: false, error: 'invalid_auth' } };
    if (req.path === '/api/auth.test') return { json: { ok: true, url: SLACK_TEAM.url, team: SLACK_TEAM.name, user: 'hubbot', team_id: SLACK_TEAM.id, user_id: 'U0BOT', bot_id: 'B01' } };
    if (req.path === '/api/conversations.list') return { json: { ok: true, channels, response_metadata: { next_cursor: '' } } };
    return { status: 404, json: { ok: false, error: 'unknown_method' } };
  });
  return {
    ...server,
    authority,
    env: {
      SLACK_CLIENT_ID: 'slack-client',
      SLACK_CLIENT_SECRET: 'slack-secret',
      SLACK_AUTHORIZE_URL: `${server.url}/oauth/v2/authorize`,
      SLACK_TOKEN_URL: `${server.url}/api/oauth.v2.access`,
      SLACK_API_URL: `${server.url}/api`,
    },
  };
}
