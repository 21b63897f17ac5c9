import { DataSource } from 'typeorm';
import { runCli } from '../src/cli';
import { sealedColumns } from '../src/common/sealed-column';
import { KeyRing } from '../src/common/sealed-secrets';
import { dataSourceOptions } from '../src/database/data-source-options';
import { GithubAppSettingsService } from '../src/github/github-app-settings.service';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { GitlabFake, startGitlabFake } from './fakes/gitlab-fake';
import { FakeServer } from './fakes/fake-server';
import { startMantisFake } from './fakes/token-providers-fake';
import { createConnection } from './support/app-connections';
import { http } from './support/http';
import { addUser } from './support/identity';
import { createDatabase, dropDatabase, startTestHub, TEST_DATABASE_URL, testPool } from './support/hub-harness';

/** What every sealed value starts with: `v1.<keyId>.` (see KeyRing). */
const SEALED_VALUE = String.raw`^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.`;

describe('rotate-keys', () => {
  let mantis: FakeServer & { token: string };
  let gitlab: GitlabFake;
  let github: FakeGithub;
  let installation: FakeInstallation;
  let databaseName: string;
  let databaseUrl: string;

  beforeAll(async () => {
    [mantis, gitlab, github] = await Promise.all([startMantisFake(), startGitlabFake(), new FakeGithub({ repos: 2 }).start()]);
    installation = [...github.model.installations.values()][0];
    databaseName = await createDatabase();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await Promise.all([mantis?.close(), gitlab?.close(), github?.stop()]);
    if (databaseName) await dropDatabase(databaseName);
  });

  /** The declared sealed columns, as rotate-keys sees them (the entities' TypeORM metadata). */
  async function declaredColumns() {
    const ds = new DataSource({ ...dataSourceOptions(databaseUrl, { embedded: false, migrationsRun: false }), extra: { max: 1 } });
    await ds.initialize();
    try {
      return sealedColumns(ds);
    } finally {
      await ds.destroy();
    }
  }

  it('re-seals every sealed value, including linked GitHub users, and the hub works after the old key is removed', async () => {
    const oldSpec = KeyRing.generateSpec('old');
    const newSpec = KeyRing.generateSpec('new');
    const env = { ...gitlab.env, ...github.env, GITHUB_REQUEST_RETRIES: '0', MANTISBT_URL: mantis.url };

    const before = await startTestHub({ databaseName, env: { ...env, ENCRYPTION_KEYS: oldSpec } });
    const { key, projectId } = before;
    const member = await addUser(before, 'member');
    const otherProject = (await http(before.url, 'POST', `/api/organizations/${before.organizationId}/projects`, { key, body: { name: 'sibling' } })).body.id as string;
    // integrations.sealed_credentials
    expect((await http(before.url, 'POST', '/api/integrations/mantisbt/connect', { key, body: { token: mantis.token } })).status).toBe(200);
    // oauth_states.sealed_code_verifier: an OAuth flow in flight across the rotation.
    const start = await http(before.url, 'GET', `/api/projects/${projectId}/integrations/authorize?kind=gitlab`, { key });
    const consent = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    // outbox_emails.body_text: an invitation kept in the outbox (no SMTP configured).
    const invite = await http(before.url, 'POST', `/api/organizations/${before.organizationId}/invites`, { key, body: { email: 'late@example.test', role: 'member' } });
    expect(invite.status).toBe(201);
    // app_connections.sealed_credentials and server_secrets.sealed_value
    expect((await createConnection(before, github, installation.id)).res.status).toBe(200);
    // github_user_links.sealed_user_token: the owner installs on the sibling project, the member links their GitHub account.
    const install = await http(before.url, 'GET', `/api/projects/${otherProject}/integrations/authorize?kind=github`, { key });
    const installState = new URL(install.headers.get('location') as string).searchParams.get('state') as string;
    const owner = github.model.addUser('owner-gh', [installation.id]);
    const installed = await http(before.url, 'GET', `/api/integrations/github/callback?${new URLSearchParams({ installation_id: String(installation.id), setup_action: 'install', code: github.issueCode(owner.id), state: installState })}`);
    expect(installed.status).toBe(302);
    const memberGithub = github.model.addUser('member-gh', [installation.id]);
    const oauth = await http(before.url, 'POST', `/api/projects/${projectId}/integrations/github/oauth_authorize`, { key: member.key, body: { installation_id: String(installation.id) } });
    const oauthState = new URL(oauth.body.oauth_url).searchParams.get('state') as string;
    expect((await http(before.url, 'GET', `/api/integrations/github/callback?${new URLSearchParams({ code: github.issueCode(memberGithub.id), state: oauthState })}`)).status).toBe(302);
    // webhook_subscriptions.sealed_secret and sealed_previous_secret: a subscription whose secret was rolled.
    const hooks = `/api/organizations/${before.organizationId}/webhooks`;
    const webhook = await http(before.url, 'POST', hooks, { key, body: { url: 'http://127.0.0.1:9/hooks', events: ['scan.completed'] } });
    expect(webhook.status).toBe(201);
    expect((await http(before.url, 'POST', `${hooks}/${webhook.body.id}/roll-secret`, { key, body: {} })).status).toBe(200);
    // github_app_registrations.sealed_*: an App kept from the manifest flow (unused here: the GITHUB_APP_* settings win).
    const kept = { id: 777, slug: 'kept-app', client_id: 'Iv1.kept', client_secret: 'kept-client-secret', webhook_secret: 'kept-webhook-secret', pem: github.privateKeyPem, html_url: `${github.url}/apps/kept-app` };
    await before.hub.app.get(GithubAppSettingsService).store(kept, { userId: before.userId, organizationId: before.organizationId });
    await before.close();

    const declared = await declaredColumns();
    const declaredNames = declared.map((c) => `${c.table}.${c.column}`);
    expect(declaredNames).toEqual([
      'app_connections.sealed_credentials',
      'github_app_registrations.sealed_client_secret',
      'github_app_registrations.sealed_private_key',
      'github_app_registrations.sealed_webhook_secret',
      'github_user_links.sealed_user_token',
      'integrations.sealed_credentials',
      'oauth_states.sealed_code_verifier',
      'outbox_emails.body_text',
      'server_secrets.sealed_value',
      'webhook_subscriptions.sealed_previous_secret',
      'webhook_subscriptions.sealed_secret',
    ]);

    const db = testPool(databaseUrl, 1);
    try {
      // Coverage: every column of the database that holds a sealed value is a declared one, and each declared one was exercised.
      const textColumns = await db.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')`,
      );
      const holdingSealed: string[] = [];
      for (const c of textColumns.rows) {
        const found = await db.query(`SELECT 1 FROM "${c.table_name}" WHERE "${c.column_name}" ~ $1 LIMIT 1`, [SEALED_VALUE]);
        if (found.rowCount) holdingSealed.push(`${c.table_name}.${c.column_name}`);
      }
      expect(holdingSealed.sort()).toEqual(declaredNames);

      const lines: string[] = [];
      expect(await runCli(['rotate-keys'], { ...env, DATABASE_URL: databaseUrl, ENCRYPTION_KEYS: `${newSpec},${oldSpec}`, LOG_LEVEL: 'silent' }, (l) => lines.push(l))).toBe(0);
      expect(lines).toEqual([
        "app_connections.sealed_credentials: 1 re-sealed with key 'new', 0 already current",
        "github_app_registrations.sealed_client_secret: 1 re-sealed with key 'new', 0 already current",
        "github_app_registrations.sealed_private_key: 1 re-sealed with key 'new', 0 already current",
        "github_app_registrations.sealed_webhook_secret: 1 re-sealed with key 'new', 0 already current",
        "github_user_links.sealed_user_token: 2 re-sealed with key 'new', 0 already current",
        "integrations.sealed_credentials: 1 re-sealed with key 'new', 0 already current",
        "oauth_states.sealed_code_verifier: 3 re-sealed with key 'new', 0 already current",
        "outbox_emails.body_text: 2 re-sealed with key 'new', 0 already current",
        "server_secrets.sealed_value: 1 re-sealed with key 'new', 0 already current",
        "webhook_subscriptions.sealed_previous_secret: 1 re-sealed with key 'new', 0 already current",
        "webhook_subscriptions.sealed_secret: 1 re-sealed with key 'new', 0 already current",
      ]);

      // With the old key dropped, every sealed value still opens.
      const newOnly = new KeyRing(newSpec);
      for (const col of declared) {
        const rows = await db.query<{ k: string; v: string }>(`SELECT "${col.keyColumn}"::text AS k, "${col.column}" AS v FROM "${col.table}" WHERE "${col.column}" IS NOT NULL`);
        expect(rows.rowCount).toBeGreaterThan(0);
        for (const row of rows.rows) {
          expect(row.v).toMatch(/^v1\.new\./);
          expect(() => newOnly.open(row.v, col.context(row.k))).not.toThrow();
        }
      }
      const bodies = await db.query(`SELECT body_text FROM outbox_emails`);
      expect(bodies.rows.map((r) => r.body_text).join()).not.toContain(invite.body.token);
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
      // The member's linked GitHub token opens: it is what decides which installations they may link.
      const visible = await http(after.url, 'GET', `/api/projects/${projectId}/integrations/github/available_installations`, { key: member.key });
      expect(visible.status).toBe(200);
      expect(visible.body.results.map((r: { installation_id: string }) => r.installation_id)).toEqual([String(installation.id)]);
      // Rolling opens the current webhook secret: it was re-sealed with the new key.
      expect((await http(after.url, 'POST', `${hooks}/${webhook.body.id}/roll-secret`, { key, body: {} })).status).toBe(200);
    } finally {
      await after.close();
    }
  });
});
