import { bearer, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

/** Slack Web API + OAuth v2 (token rotation), modeled on api.slack.com: `oauth.v2.access`, `auth.test`, `conversations.list`. */
export interface SlackFake extends FakeServer {
  authority: OAuthAuthority;
  /** The workspace's channels, oldest first; tests may add more. */
  channels: SlackChannel[];
  env: Record<string, string>;
}

/**
 * `conversations.list` with cursor pagination as Slack documents it (docs.slack.dev/reference/methods/conversations.list,
 * docs.slack.dev/apis/web-api/pagination): `limit` defaults to 100 and is capped at 1000, `next_cursor` is an
 * opaque string, empty on the last page; a bad cursor is `ok: false, error: invalid_cursor` with HTTP 200.
 */
function conversationsList(channels: SlackChannel[], query: URLSearchParams) {
  const limit = Math.min(Number(query.get('limit') ?? 100) || 100, 1000);
  const cursor = query.get('cursor');
  let offset = 0;
  if (cursor) {
    const decoded = /^dGVhbTpD(.*)$/.test(cursor) ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^team:C/, '')) : NaN;
    if (!Number.isInteger(decoded) || decoded < 0) return { json: { ok: false, error: 'invalid_cursor' } };
    offset = decoded;
  }
  const page = channels.slice(offset, offset + limit);
  const next = offset + limit < channels.length ? Buffer.from(`team:C${offset + limit}`).toString('base64') : '';
  return { json: { ok: true, channels: page, response_metadata: { next_cursor: next } } };
}

interface SlackChannel {
  id: string;
  name: string;
  is_private: boolean;
}

export const SLACK_TEAM = { id: 'T0001', name: 'Acme Slack', url: 'https://acme.slack.com/' };

export async function startSlackFake(): Promise<SlackFake> {
  const authority = new OAuthAuthority({ clientId: 'slack-client', clientSecret: 'slack-secret' }, 'xoxe.xoxb');
  const channels: SlackChannel[] = [
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
    if (req.path === '/api/conversations.list') return conversationsList(channels, req.query);
    return { status: 404, json: { ok: false, error: 'unknown_method' } };
  });
  return {
    ...server,
    authority,
    channels,
    env: {
      SLACK_CLIENT_ID: 'slack-client',
      SLACK_CLIENT_SECRET: 'slack-secret',
      SLACK_AUTHORIZE_URL: `${server.url}/oauth/v2/authorize`,
      SLACK_TOKEN_URL: `${server.url}/api/oauth.v2.access`,
      SLACK_API_URL: `${server.url}/api`,
    },
  };
}
