import Redis from 'ioredis';
import { http } from './support/http';
import { connectInstallation, connectThroughAdapter, principalFor } from './support/github';
import { startTestHub, TestHub, TEST_REDIS_URL } from './support/hub-harness';
import { addOrganization, keyWithScopes } from './support/identity';
import { FakeGithub } from './fakes/github/fake-github.server';
import { GithubProviderAdapter } from '../src/github/github-provider.adapter';

describe('GitHub broker (installations, tokens, identity)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let installationId: number;
  let login: string;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 12, installations: 3 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0' } });
    installationId = fake.installation.id;
    login = fake.installation.account.login;
    // The organization holds the first two installations (the third stays unconnected), as a client connects them.
    for (const i of [...fake.model.installations.values()].slice(0, 2)) await connectInstallation(t, i.id, i.account.login);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const installations = () => [...fake.model.installations.values()];

  describe('connecting an installation (adapter)', () => {
    it('verifies the installation with the app JWT, stores it, and is idempotent', async () => {
      // A fresh installation in a fresh organization: the first connect creates, whatever ran before.
      const account = fake.model.addAccount('fresh-broker-org');
      const fresh = fake.model.addInstallation(account, fake.model.addRepos(account, 1));
      const org = await addOrganization(t, 'Fresh org');
      const first = await connectThroughAdapter(t, fresh.id, account.login.toUpperCase(), org.organizationId);
      expect(first).toMatchObject({ kind: 'connected', created: true, integration: { provider: 'github', externalAccountId: String(fresh.id), displayName: account.login } });
      const again = await connectThroughAdapter(t, fresh.id, account.login, org.organizationId);
      expect(again).toMatchObject({ kind: 'connected', created: false });
      const rows = await t.db.query('SELECT organization_id, account_login FROM github_installations WHERE installation_id = $1', [fresh.id]);
      expect(rows.rows).toEqual([{ organization_id: org.organizationId, account_login: account.login }]);
      expect(fake.stats.byRoute['GET /app/installations/:id']).toBeGreaterThanOrEqual(2);
    });

    it('refuses an unknown installation and an account that does not own it', async () => {
      await expect(connectThroughAdapter(t, 999999, login)).rejects.toMatchObject({ status: 404, code: 'GITHUB_INSTALLATION_NOT_FOUND' });
      await expect(connectThroughAdapter(t, installations()[1].id, 'someone-else')).rejects.toMatchObject({
        status: 422,
        message: `GitHub installation ${installations()[1].id} belongs to '${installations()[1].account.login}', not 'someone-else'`,
      });
      await expect(connectThroughAdapter(t, 'abc' as unknown as number, login)).rejects.toMatchObject({ status: 400 });
    });

    it('holds several installations per organization but never one installation in two organizations', async () => {
      const second = installations()[1];
      expect((await connectThroughAdapter(t, second.id, second.account.login)).kind).toBe('connected');
      const other = await addOrganization(t, 'Rival org');
      await expect(connectThroughAdapter(t, installationId, login, other.organizationId)).rejects.toMatchObject({ status: 409, code: 'GITHUB_INSTALLATION_LINKED_ELSEWHERE' });
    });

    it('checks health and lists repositories with search and pages', async () => {
      // The adapter's health and listRepos are what this test covers; no HTTP route returns them as such.
      const adapter = t.hub.app.get(GithubProviderAdapter);
      const connected = await connectThroughAdapter(t, installationId, login);
      const integration = connected.kind === 'connected' ? connected.integration : null;
      expect(await adapter.health(integration!)).toEqual({ healthy: true, details: { account: login, suspended_at: null } });
      const page = await adapter.listRepos(integration!, { page: 2, perPage: 5 });
      expect(page.total).toBe(12);
      expect(page.repos.map((r) => r.name)).toEqual(['repo-0005', 'repo-0006', 'repo-0007', 'repo-0008', 'repo-0009'].map((n) => `${login}/${n}`));
      expect((await adapter.listRepos(integration!, { page: 1, perPage: 50, search: 'repo-001' })).repos).toHaveLength(2);
      expect(adapter.authorizeUrl).toBeDefined();
      expect(principalFor(t).organizationId).toBe(t.organizationId);
    });
  });

  describe('GET /api/integration/installations', () => {
    it("lists the organization's installations GitHub-shaped with RFC 8288 links", async () => {
      const res = await http(t.url, 'GET', '/api/integration/installations?per_page=1', { key: t.key, headers: { accept: 'application/vnd.github.machine-man-preview+json', 'x-organization-id': t.organizationId } });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        id: installationId,
        account: { login, type: 'Organization' },
        access_tokens_url: `http://hub.example.test/api/installations/${installationId}/access_tokens`,
        repositories_url: 'http://hub.example.test/api/installation/repositories',
      });
      expect(res.headers.get('link')).toBe(
        '<http://hub.example.test/api/integration/installations?page=2&per_page=1>; rel="next", <http://hub.example.test/api/integration/installations?page=1&per_page=1>; rel="first", <http://hub.example.test/api/integration/installations?page=2&per_page=1>; rel="last"',
      );
      const p2 = await http(t.url, 'GET', '/api/integration/installations?per_page=1&page=2', { key: t.key, headers: { 'x-organization-id': t.organizationId } });
      expect(p2.body[0].id).toBe(installations()[1].id);
      expect(p2.headers.get('link')).toContain('rel="prev"');
      expect(p2.headers.get('link')).not.toContain('rel="next"');
    });

    it('shows another organization nothing', async () => {
      const other = await addOrganization(t, 'Empty org');
      const res = await http(t.url, 'GET', '/api/integration/installations', { key: t.key, headers: { 'x-organization-id': other.organizationId } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(res.headers.get('link')).toBeNull();
    });
  });

  describe('POST /api/installations/:id/access_tokens', () => {
    const mint = (body: unknown = {}, id: number = installationId, key = t.key, headers: Record<string, string> = { 'x-organization-id': t.organizationId }) =>
      http(t.url, 'POST', `/api/installations/${id}/access_tokens`, { key, body, headers });

    it("answers a malformed installation id 404 in GitHub's shape, but only after the key (401)", async () => {
      const bad = await http(t.url, 'POST', '/api/installations/not-a-number/access_tokens', { key: t.key, body: {}, headers: { 'x-organization-id': t.organizationId } });
      expect(bad.status).toBe(404);
      expect(bad.body).toMatchObject({ code: 'GITHUB_INSTALLATION_NOT_FOUND', message: 'GitHub installation not-a-number was not found', documentation_url: expect.any(String) });
      expect((await http(t.url, 'POST', '/api/installations/not-a-number/access_tokens', { body: {} })).status).toBe(401);
    });

    it('mints a token once and serves the cached one afterwards', async () => {
      const before = fake.mintCount(installationId);
      const a = await mint();
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ token: expect.stringMatching(/^ghs_/), on_behalf_of: null, repository_selection: 'all', permissions: fake.installation.permissions });
      expect(Date.parse(a.body.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
      // The repository listing above may already have minted this (un-narrowed) token.
      const afterFirst = fake.mintCount(installationId);
      expect(afterFirst - before).toBeLessThanOrEqual(1);
      const b = await mint();
      expect(b.body.token).toBe(a.body.token);
      expect(fake.mintCount(installationId)).toBe(afterFirst);
    });

    it('shares one upstream mint among many concurrent callers of the same narrowing', async () => {
      const before = fake.mintCount(installationId);
      const body = { repositories: ['repo-0003', 'repo-0001'], permissions: { contents: 'read' } };
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => mint(i % 2 ? body : { permissions: { contents: 'read' }, repositories: ['repo-0001', 'repo-0003'] })));
      expect(results.map((r) => r.status)).toEqual(Array(25).fill(201));
      expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
      expect(fake.mintCount(installationId)).toBe(before + 1);
      expect(results[0].body).toMatchObject({ repository_selection: 'selected', permissions: { contents: 'read' } });
      expect(results[0].body.repositories.map((r: { name: string }) => r.name).sort()).toEqual(['repo-0001', 'repo-0003']);
      // The cached answer with GitHub's repository objects is long: sent as prepared bytes, framed and typed as JSON.
      const again = await mint(body);
      expect(again.text.length).toBeGreaterThan(1024);
      expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(again.headers.get('content-length'))).toBe(Buffer.byteLength(again.text));
      expect(again.body).toEqual(results[0].body);
      expect(fake.mintCount(installationId)).toBe(before + 1);
    });

    it('keeps the cached token sealed in Redis', async () => {
      const token = (await mint()).body.token as string;
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const keys = await redis.keys(`${t.env.QUEUE_PREFIX}:github:itoken:${installationId}:*`);
        expect(keys.length).toBeGreaterThan(0);
        for (const k of keys) {
          const v = (await redis.get(k)) as string;
          expect(v.startsWith('v1.')).toBe(true);
          expect(v).not.toContain(token);
        }
      } finally {
        redis.disconnect();
      }
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM integrations WHERE sealed_credentials IS NOT NULL`);
      expect(rows.rows[0].n).toBe(0);
    });

    it('answers 422 above 500 repositories and passes GitHub refusals on as 422', async () => {
      const many = await mint({ repositories: Array.from({ length: 501 }, (_, i) => `r${i}`) });
      expect(many.status).toBe(422);
      expect(many.body.code).toBe('TOO_MANY_REPOSITORIES');
      // With the installation in the broker's local layer (the cached mint's synchronous path) the answers are the same.
      expect((await mint()).status).toBe(201);
      const again = await mint({ repositories: Array.from({ length: 501 }, (_, i) => `r${i}`) });
      expect({ status: again.status, code: again.body.code, message: again.body.message }).toEqual({ status: 422, code: 'TOO_MANY_REPOSITORIES', message: many.body.message });
      const level = await mint({ permissions: { contents: 'owner' } });
      expect(level.status).toBe(422);
      expect(level.body.message).toContain('contents');
      const unknown = await mint({ repositories: ['nope'] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toContain('not accessible to the parent installation');
    });

    it('answers 404 for installations of other organizations, unknown ones and unlinked users', async () => {
      const other = await addOrganization(t, 'Stranger org');
      expect((await mint({}, installationId, t.key, { 'x-organization-id': other.organizationId })).status).toBe(404);
      expect((await mint({}, 123456789)).status).toBe(404);
      expect((await mint({}, 'abc' as unknown as number)).status).toBe(404);
      const noLink = await mint({ user_id: t.userId });
      expect(noLink.status).toBe(404);
      expect(noLink.body.code).toBe('GITHUB_USER_LINK_NOT_FOUND');
    });

    it('maps a GitHub rate limit to 429 with Retry-After, and a missing permission to a 403 naming it', async () => {
      fake.rateLimit({ kind: 'primary', resetInSeconds: 90, route: /access_tokens$/ });
      const limited = await mint({ repository_ids: [fake.installation.repoIds[4]] });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        code: 'rate_limited',
        message: 'GitHub API rate limit exceeded. Please retry later.',
        detail: 'GitHub API rate limit exceeded. Please retry later.',
        documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
        requestId: limited.headers.get('x-request-id'),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(89);
      fake.rateLimit({ kind: 'secondary', resetInSeconds: 30, route: /access_tokens$/ });
      const secondary = await mint({ repository_ids: [fake.installation.repoIds[5]] });
      expect(secondary.status).toBe(429);
      expect(secondary.headers.get('retry-after')).toBe('30');
      expect(secondary.body).toMatchObject({ code: 'rate_limited', detail: 'GitHub API rate limit exceeded. Please retry later.' });
      fake.denyPermission(/access_tokens$/, 'administration=write');
      const denied = await mint({ repository_ids: [fake.installation.repoIds[6]] });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('GITHUB_PERMISSION_MISSING');
      expect(denied.body.message).toContain('administration=write');
    });

    it('needs integration:write', async () => {
      const readOnly = await keyWithScopes(t, ['integration:read']);
      const res = await mint({}, installationId, readOnly);
      expect(res.status).toBe(403);
      expect(res.body.message).toBe("API key missing required scope 'integration:write'");
    });
  });

  describe('GET /api/installations/:id/repositories', () => {
    it('lists the repositories an installation reaches', async () => {
      const res = await http(t.url, 'GET', `/api/installations/${installationId}/repositories?per_page=10&page=2`, { key: t.key, headers: { 'x-organization-id': t.organizationId } });
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBe(12);
      expect(res.body.repositories).toHaveLength(2);
      expect(res.headers.get('link')).toContain('rel="prev"');
    });
  });

  describe('POST /api/integration/identity/user', () => {
    it('is 404 while the caller has linked no GitHub account', async () => {
      const res = await http(t.url, 'POST', '/api/integration/identity/user', { key: t.key, body: { nonce: 'abc123' }, headers: { 'x-organization-id': t.organizationId } });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('GITHUB_USER_LINK_NOT_FOUND');
    });
  });
});
