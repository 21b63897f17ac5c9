import type { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { http } from './support/http';
import { createDatabase, dropDatabase, clearRedisPrefix, testEnv, testPool } from './support/hub-harness';
import { HubProcess, startHubProcess } from './support/process';
import { FakeGithub } from './fakes/github/fake-github.server';
import { poll } from './support/poll';

/** Runs the built hub as a process at LOG_LEVEL=info and checks its whole output for secrets after real flows. */
describe('GitHub secrets stay out of logs and responses', () => {
  let fake: FakeGithub;
  let hub: HubProcess;
  let db: Pool;
  let env: Record<string, string>;
  let databaseName: string;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    databaseName = await createDatabase();
    env = testEnv(databaseName, `t${randomBytes(4).toString('hex')}`, { env: { ...fake.env, LOG_LEVEL: 'info', GITHUB_REQUEST_RETRIES: '0' } });
    hub = await startHubProcess(env);
    db = testPool(env.DATABASE_URL, 1);
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.end();
    await fake?.stop();
    if (databaseName) await dropDatabase(databaseName);
    if (env) await clearRedisPrefix(env.QUEUE_PREFIX);
  });

  it('never logs or returns codes, states, user tokens, JWTs, the private key or secrets; a mint returns only its token', async () => {
    const key = env.BOOTSTRAP_API_KEY;
    const projectId = (await db.query('SELECT id FROM projects LIMIT 1')).rows[0].id as string;
    const installation = fake.installation;
    const dev = fake.model.addUser('leaky-dev', [installation.id]);

    const authorize = await http(hub.url, 'GET', `/api/projects/${projectId}/integrations/authorize?kind=github&next=/ok`, { key });
    const state = new URL(authorize.headers.get('location') as string).searchParams.get('state') as string;
    const code = fake.issueCode(dev.id);
    const callback = await http(hub.url, 'GET', `/api/integrations/github/callback?installation_id=${installation.id}&setup_action=install&code=${code}&state=${state}`);
    expect(callback.status).toBe(302);
    const replay = await http(hub.url, 'GET', `/api/integrations/github/callback?installation_id=${installation.id}&code=${code}&state=${state}`);
    expect(replay.status).toBe(400);

    const minted = await http(hub.url, 'POST', `/api/installations/${installation.id}/access_tokens`, { key, body: { user_id: (await db.query('SELECT id FROM users LIMIT 1')).rows[0].id } });
    expect(minted.status).toBe(201);
    const token = minted.body.token as string;
    fake.rateLimit({ kind: 'primary', route: /access_tokens$/ });
    const limited = await http(hub.url, 'POST', `/api/installations/${installation.id}/access_tokens`, { key, body: { repositories: ['repo-0001'] } });
    expect(limited.status).toBe(429);
    const hook = await fake.sendWebhook(`${hub.url}/api/webhooks/github`, 'installation', { action: 'unsuspend', installation: { id: installation.id } });
    expect(hook.status).toBe(202);
    // The delivery is handled (and logged) once its row is marked processed.
    await poll(async () => (await db.query('SELECT processed_at FROM github_webhook_deliveries WHERE delivery_id = $1', [hook.deliveryId])).rows[0]?.processed_at, { what: 'webhook processed' });

    const userTokens = [...fake.model.tokens.values()].filter((t) => t.kind === 'user').map((t) => t.token);
    expect(userTokens).toHaveLength(1);
    const pemBody = fake.privateKeyPem.split('\n')[5];
    const secrets = [code, state, ...userTokens, fake.clientSecret, fake.webhookSecret, pemBody, key, env.ENCRYPTION_KEYS.split(':')[1]];
    const output = hub.output();
    expect(output).toContain('"level"');
    for (const secret of [...secrets, token]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(output).not.toMatch(/gh[su]_[\w-]{10,}/);

    // The state itself travels in the authorize redirect and cookie by design; nothing else may.
    const responses = [authorize, callback, replay, minted, limited].map((r) => r.text + JSON.stringify([...r.headers]));
    for (const text of responses) for (const secret of secrets.filter((s) => s !== state)) expect(text).not.toContain(secret);
    expect(callback.text + JSON.stringify([...callback.headers])).not.toContain(state.slice(0, 20));
    expect(minted.text.split(token)).toHaveLength(2);
    expect(minted.text).not.toMatch(/ghu_/);
  });
});
