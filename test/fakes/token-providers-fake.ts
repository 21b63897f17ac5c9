import { FakeServer, startFakeServer } from './fake-server';

/** Discord webhooks (discord.com/developers/docs/resources/webhook: `GET /webhooks/{id}/{token}`). */
export async function startDiscordFake(): Promise<FakeServer & { webhookUrl: string }> {
  const webhook = { id: '223704706495545344', token: 'hook-secret-token', name: 'Hub alerts', channel_id: '199737254929760256', guild_id: '199737254929760256', type: 1 };
  const server = await startFakeServer((req) => {
    if (req.method === 'GET' && req.path === `/api/webhooks/${webhook.id}/${webhook.token}`) {
      const { token: _token, ...visible } = webhook;
      return { json: visible };
    }
    return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
  });
  return { ...server, webhookUrl: `${server.url}/api/webhooks/${webhook.id}/${webhook.token}` };
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
