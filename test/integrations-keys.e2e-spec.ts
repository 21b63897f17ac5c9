import { runCli } from '../src/cli';
import { KeyRing } from '../src/common/sealed-secrets';
import { GitlabFake, startGitlabFake } from './fakes/gitlab-fake';
import { FakeServer } from './fakes/fake-server';
import { startMantisFake } from './fakes/token-providers-fake';
import { http } from './support/http';
import { createDatabase, dropDatabase, startTestHub, TEST_DATABASE_URL, testPool } from './support/hub-harness';

describe('rotate-keys', () => {
  let mantis: FakeServer & { token: string };
  let gitlab: GitlabFake;
  let databaseName: string;

  beforeAll(async () => {
    [mantis, gitlab] = await Promise.all([startMantisFake(), startGitlabFake()]);
    databaseName = await createDatabase();
  });
  afterAll(async () => {
    await Promise.all([mantis?.close(), gitlab?.close()]);
    if (databaseName) await dropDatabase(databaseName);
  });

  it('re-seals every sealed value with the new key; the hub works after the old key is removed', async () => {
    const oldSpec = KeyRing.generateSpec('old');
    const newSpec = KeyRing.generateSpec('new');
    const env = { ...gitlab.env, MANTISBT_URL: mantis.url };

    const before = await startTestHub({ databaseName, env: { ...env, ENCRYPTION_KEYS: oldSpec } });
    const key = before.key;
    const projectId = before.projectId;
    const connected = await http(before.url, 'POST', '/api/integrations/mantisbt/connect', { key, body: { token: mantis.token } });
    expect(connected.status).toBe(200);
    // An OAuth flow in flight across the rotation: its sealed PKCE verifier must survive too.
    const start = await http(before.url, 'GET', `/api/projects/${projectId}/integrations/authorize?kind=gitlab`, { key });
    const consent = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    // An invitation kept in the outbox (no SMTP configured): its sealed body must survive too.
    const invite = await http(before.url, 'POST', `/api/organizations/${before.organizationId}/invites`, { key, body: { email: 'late@example.test', role: 'member' } });
    expect(invite.status).toBe(201);
    // A webhook subscription whose secret was rolled: both its secrets are sealed.
    const hooks = `/api/organizations/${before.organizationId}/webhooks`;
    const webhook = await http(before.url, 'POST', hooks, { key, body: { url: 'http://127.0.0.1:9/hooks', events: ['scan.completed'] } });
    expect(webhook.status).toBe(201);
    expect((await http(before.url, 'POST', `${hooks}/${webhook.body.id}/roll-secret`, { key, body: {} })).status).toBe(200);
    await before.close();

    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${databaseName}`;
    const lines: string[] = [];
    const code = await runCli(['rotate-keys'], { ...before.env, ENCRYPTION_KEYS: `${newSpec},${oldSpec}` }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toEqual([
      "integrations.sealed_credentials: 1 re-sealed with key 'new', 0 already current",
      "oauth_states.sealed_code_verifier: 1 re-sealed with key 'new', 0 already current",
      "outbox_emails.body_text: 1 re-sealed with key 'new', 0 already current",
      // App connections have their own rotation test (app-connections-secrets); none exist here.
      "app_connections.sealed_credentials: 0 re-sealed with key 'new', 0 already current",
      "server_secrets.sealed_value: 0 re-sealed with key 'new', 0 already current",
      "webhook_subscriptions.sealed_secret: 1 re-sealed with key 'new', 0 already current",
      "webhook_subscriptions.sealed_previous_secret: 1 re-sealed with key 'new', 0 already current",
    ]);
    const db = testPool(url.toString(), 1);
    try {
      const sealed = await db.query(`SELECT sealed_credentials AS v FROM integrations WHERE sealed_credentials IS NOT NULL
                                     UNION ALL SELECT sealed_code_verifier FROM oauth_states WHERE sealed_code_verifier IS NOT NULL
                                     UNION ALL SELECT body_text FROM outbox_emails`);
      expect(sealed.rows.length).toBe(3);
      expect(sealed.rows.map((r) => r.v).join()).not.toContain(invite.body.token);
      for (const r of sealed.rows) expect(r.v).toMatch(/^v1\.new\./);
    } finally {
      await db.end();
    }

    const after = await startTestHub({ databaseName, env: { ...env, ENCRYPTION_KEYS: newSpec } });
    try {
      const seen = mantis.requests.length;
      const health = await http(after.url, 'GET', '/api/integrations/mantisbt/health', { key });
      expect(health.body).toMatchObject({ healthy: true });
      expect(mantis.requests.slice(seen).map((r) => r.headers.authorization)).toEqual([mantis.token]);
      const callback = await http(after.url, 'GET', `${back.pathname}${back.search}`);
      expect(callback.status).toBe(302);
      expect(gitlab.authority.grants.at(-1)).toMatchObject({ grant_type: 'authorization_code', code_verifier: expect.any(String) });
      const list = await http(after.url, 'GET', `/api/projects/${projectId}/integrations/?kind=gitlab`, { key });
      expect(list.body.count).toBe(1);
      // Rolling opens the current secret: it was re-sealed with the new key.
      expect((await http(after.url, 'POST', `${hooks}/${webhook.body.id}/roll-secret`, { key, body: {} })).status).toBe(200);
    } finally {
      await after.close();
    }
  });
});
