import { DISCORD_GUILD, DiscordFake, startDiscordFake } from './fakes/token-providers-fake';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

describe('Discord OAuth2 (webhook.incoming): authorize → callback → integration → health', () => {
  let t: TestHub;
  let discord: DiscordFake;

  beforeAll(async () => {
    discord = await startDiscordFake();
    t = await startTestHub({ env: discord.env });
  });
  afterAll(async () => {
    await t?.close();
    await discord?.close();
  });

  /** Starts the flow on the project face and lets the user consent at the fake; returns the redirect back to the hub. */
  const consent = async (next: string) => {
    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=discord&next=${next}`, { key: t.key });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') as string);
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return { authorize, back: new URL(res.headers.get('location') as string) };
  };

  it('connects the incoming webhook Discord creates on consent, and checks its health with a GET on it', async () => {
    const { authorize, back } = await consent('/done/discord');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(discord.env.DISCORD_AUTHORIZE_URL);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      client_id: 'discord-client',
      scope: 'identify webhook.incoming',
      redirect_uri: 'http://hub.example.test/api/integrations/discord/callback',
      response_type: 'code',
      state: expect.any(String),
    });
    // Discord appends the server the user picked to the redirect.
    expect(back.searchParams.get('guild_id')).toBe(DISCORD_GUILD.id);
    expect(back.pathname).toBe('/api/integrations/discord/callback');

    const hooksBefore = new Set(discord.webhooks.keys());
    const callback = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('http://hub.example.test/done/discord');
    expect(discord.authority.grants.at(-1)).toEqual({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: 'http://hub.example.test/api/integrations/discord/callback',
      client_id: 'discord-client',
      client_secret: 'discord-secret',
    });
    const created = [...discord.webhooks.values()].filter((h) => !hooksBefore.has(h.id));
    expect(created).toHaveLength(1);
    const hook = created[0];

    const replay = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ type: 'validation_error', attr: 'state' });

    const list = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/?kind=discord`, { key: t.key });
    expect(list.body.count).toBe(1);
    const integration = list.body.results[0];
    expect(integration).toMatchObject({ id: expect.stringMatching(/^\d+$/), kind: 'discord', display_name: 'Hub notifications', errors: '', created_by: { id: t.userId } });
    expect(JSON.stringify(list.body)).not.toContain(hook.token);
    const row = (await t.db.query('SELECT * FROM integrations WHERE id = $1', [integration.id])).rows[0];
    expect(row).toMatchObject({ external_account_id: hook.id, project_id: t.projectId, status: 'connected', organization_id: t.organizationId });
    expect(JSON.parse(row.configuration)).toEqual({ channel_id: DISCORD_GUILD.channelId, guild_id: DISCORD_GUILD.id, webhook_name: 'Hub notifications' });
    expect(row.sealed_credentials).not.toContain(hook.token);
    for (const token of discord.authority.accessTokens) expect(row.sealed_credentials).not.toContain(token);
    expect(row.credentials_expires_at).not.toBeNull();

    const seenBefore = discord.requests.length;
    const health = await http(t.url, 'GET', `/api/integrations/discord/health?integrationId=${integration.id}`, { key: t.key });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ healthy: true, checkedAt: expect.any(String), details: { integrationId: integration.id, webhookId: hook.id, channelId: DISCORD_GUILD.channelId } });
    expect(discord.requests.slice(seenBefore).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/webhooks/${hook.id}/${hook.token}`]);
    expect(health.text).not.toContain(hook.token);

    // Someone deletes the webhook in Discord's channel settings: the connection is unhealthy.
    discord.webhooks.delete(hook.id);
    const gone = await http(t.url, 'GET', `/api/integrations/discord/health?integrationId=${integration.id}`, { key: t.key });
    expect(gone.body).toMatchObject({ healthy: false, details: { integrationId: integration.id, error: 'The webhook no longer exists' } });
  });

  it('refuses the callback when the user denies consent, and a code Discord does not know', async () => {
    const discordBefore = (await t.db.query(`SELECT count(*)::int AS n FROM integrations WHERE provider = 'discord'`)).rows[0].n as number;
    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=discord&next=/denied`, { key: t.key });
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    // What Discord sends back when the user clicks "Cancel".
    const denied = await http(t.url, 'GET', `/api/integrations/discord/callback?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request&state=${state}`);
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({ type: 'validation_error', code: 'provider_denied', detail: 'The provider did not authorize the connection: The resource owner or authorization server denied the request', attr: null });

    const { back } = await consent('/bad-code');
    back.searchParams.set('code', 'code-forged');
    const refused = await http(t.url, 'GET', `${back.pathname}${back.search}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'validation_error', code: 'code_rejected', attr: 'code' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM integrations WHERE provider = 'discord'`)).rows[0].n).toBe(discordBefore);
  });
});
