import { randomBytes } from 'node:crypto';
import { bearer, bodyParams, FakeServer, startFakeServer } from './fake-server';
import { OAuthAuthority } from './oauth-authority';

interface DiscordWebhook {
  id: string;
  token: string;
  name: string;
  channel_id: string;
  guild_id: string;
  type: 1;
  avatar: string | null;
  application_id: string | null;
}

export interface DiscordFake extends FakeServer {
  /** The webhook created at start-up (given to the hub directly). */
  webhookUrl: string;
  /** Webhooks by id: the start-up one and one per OAuth2 consent with `webhook.incoming`. */
  webhooks: Map<string, DiscordWebhook>;
  authority: OAuthAuthority;
  env: Record<string, string>;
}

export const DISCORD_GUILD = { id: '290926798626357999', channelId: '290926798626357250' };
const DISCORD_APPLICATION_ID = '1049397329893400000';

/**
 * Discord, modeled on discord.com/developers/docs: webhooks (`GET /api/webhooks/{id}/{token}`, token not echoed) and
 * OAuth2 (`/oauth2/authorize`, `POST /api/oauth2/token`). Consenting to `webhook.incoming` creates an incoming webhook
 * in the channel the user picks (here always one channel), appends `guild_id` to the redirect, and the token response
 * carries the webhook with its execution `url`. `GET /api/v10/users/@me` answers the `identify` scope.
 */
export async function startDiscordFake(): Promise<DiscordFake> {
  const authority = new OAuthAuthority({ clientId: 'discord-client', clientSecret: 'discord-secret' }, 'discord');
  authority.lifetimeSeconds = 604800;
  const webhooks = new Map<string, DiscordWebhook>();
  const addWebhook = (id: string, token: string, name: string, channelId: string, applicationId: string | null) => {
    const hook: DiscordWebhook = { id, token, name, channel_id: channelId, guild_id: DISCORD_GUILD.id, type: 1, avatar: null, application_id: applicationId };
    webhooks.set(id, hook);
    return hook;
  };
  const startup = addWebhook('223704706495545344', 'hook-secret-token', 'Hub alerts', '199737254929760256', null);
  /** Authorization codes whose consent included `webhook.incoming`. */
  const webhookCodes = new Set<string>();
  let nextWebhookId = 1049397329893400100n;
  let url = '';

  const server = await startFakeServer((req) => {
    if (req.method === 'GET' && req.path === '/oauth2/authorize') {
      const reply = authority.authorize(req);
      const location = reply.headers?.location;
      if (!location) return reply;
      const back = new URL(location);
      if ((req.query.get('scope') ?? '').split(' ').includes('webhook.incoming')) {
        webhookCodes.add(back.searchParams.get('code') ?? '');
        back.searchParams.set('guild_id', DISCORD_GUILD.id);
      }
      return { ...reply, headers: { location: back.toString() } };
    }
    if (req.method === 'POST' && req.path === '/api/oauth2/token') {
      const { code } = bodyParams(req);
      const result = authority.token(req);
      if ('error' in result) return { status: 400, json: { error: result.error } };
      const body: Record<string, unknown> = { ...result.tokens, scope: 'identify webhook.incoming' };
      if (code && webhookCodes.delete(code)) {
        const id = String(nextWebhookId++);
        const { token: hookToken, ...hook } = addWebhook(id, randomBytes(24).toString('base64url'), 'Hub notifications', DISCORD_GUILD.channelId, DISCORD_APPLICATION_ID);
        body.webhook = { ...hook, token: hookToken, url: `${url}/api/webhooks/${id}/${hookToken}` };
      }
      return { json: body };
    }
    if (req.method === 'GET' && req.path === '/api/v10/users/@me') {
      if (!authority.valid(bearer(req))) return { status: 401, json: { message: '401: Unauthorized', code: 0 } };
      return { json: { id: '80351110224678912', username: 'nelly', discriminator: '0', global_name: 'Nelly', avatar: null } };
    }
    const hookPath = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([^/]+)$/.exec(req.path);
    const hook = hookPath ? webhooks.get(hookPath[1]) : undefined;
    if (req.method === 'GET' && hook && hook.token === hookPath?.[2]) {
      const { token: _token, ...visible } = hook;
      return { json: visible };
    }
    return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
  });
  url = server.url;
  return {
    ...server,
    webhookUrl: `${server.url}/api/webhooks/${startup.id}/${startup.token}`,
    webhooks,
    authority,
    env: {
      DISCORD_CLIENT_ID: 'discord-client',
      DISCORD_CLIENT_SECRET: 'discord-secret',
      DISCORD_AUTHORIZE_URL: `${server.url}/oauth2/authorize`,
      DISCORD_TOKEN_URL: `${server.url}/api/oauth2/token`,
      DISCORD_API_URL: `${server.url}/api/v10`,
    },
  };
}

/** MantisBT REST (mantisbt.org/docs: `GET /api/rest/users/me`, `GET /api/rest/projects`, token in `Authorization`). */
export async function startMantisFake(goodToken = 'mantis-good-token'): Promise<FakeServer & { token: string }> {
  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== goodToken) return { status: 401, json: { message: 'API token not found', code: 1000 } };
    if (req.path === '/api/rest/users/me') return { json: { id: 7, name: 'hubbot', real_name: 'Hub Bot', email: 'bot@example.test', access_level: { id: 90, name: 'administrator' } } };
    if (req.path === '/api/rest/projects') {
      return {
        json: {
          projects: [
            { id: 1, name: 'Website', view_state: { id: 10, name: 'public' } },
            { id: 2, name: 'Backoffice', view_state: { id: 50, name: 'private' } },
          ],
        },
      };
    }
    return { status: 404, json: { message: 'Not found' } };
  });
  return { ...server, token: goodToken };
}
