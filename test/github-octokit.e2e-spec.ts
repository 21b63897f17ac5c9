import { Octokit } from '@octokit/rest';
import { RequestError } from '@octokit/request-error';
import { GithubUserLinksService } from '../src/github/github-user-links.service';
import { loadAppPrivateKey, signAppJwt } from '../src/github/github-app-jwt';
import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation, waitFor } from './support/github';
import { GithubOpenApi } from './support/github-openapi';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, keyWithScopes } from './support/identity';

/** SITE_URL in the test harness; requests to it are sent to the hub's loopback address, as DNS would. */
const SITE_URL = 'http://hub.example.test';

/**
 * The GitHub face as a drop-in: an unmodified @octokit/rest configured only with `baseUrl` and `auth` (a hub key),
 * against the hub and the fake GitHub.
 */
describe('GitHub face with @octokit/rest', () => {
  const github = new GithubOpenApi();
  let fake: FakeGithub;
  let t: TestHub;
  /** A hub key pinned to the test organization (a caller of one organization needs no extra header). */
  let key: string;
  let hub: Octokit;
  let ids: number[];

  const siteFetch = (input: string | URL | Request, init?: RequestInit) => fetch(String(input instanceof Request ? input.url : input).replace(SITE_URL, t.url), init);
  const octokitFor = (auth: string, baseUrl = `${t.url}/api`) => new Octokit({ baseUrl, auth, request: { fetch: siteFetch }, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
  const appOctokit = () => new Octokit({ baseUrl: fake.url, auth: signAppJwt(loadAppPrivateKey(fake.privateKeyPem), String(fake.appId)).jwt });
  const requestError = async (call: Promise<unknown>): Promise<RequestError> => {
    const err = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RequestError);
    return err as RequestError;
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 12, installations: 4 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0' } });
    const installations = [...fake.model.installations.values()];
    for (const i of installations.slice(0, 3)) await connectInstallation(t, i.id, i.account.login);
    ids = installations.slice(0, 3).map((i) => i.id);
    key = await keyWithScopes(t, ['*'], t.key, { scoped_organization_id: t.organizationId });
    hub = octokitFor(key);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  describe('authentication', () => {
    it("accepts octokit's `token <key>` and `Bearer <key>` in any case, and nothing in the query string", async () => {
      const seen: string[] = [];
      const spy = new Octokit({ baseUrl: `${t.url}/api`, auth: key, request: { fetch: (url: string, init: RequestInit) => (seen.push(new Headers(init.headers).get('authorization') ?? ''), fetch(url, init)) } });
      expect((await spy.apps.listInstallations()).status).toBe(200);
      expect(seen).toEqual([`token ${key}`]);
      for (const scheme of ['token', 'TOKEN', 'Token', 'bearer', 'BEARER']) {
        const res = await http(t.url, 'GET', '/api/app/installations', { headers: { authorization: `${scheme} ${key}` } });
        expect({ scheme, status: res.status }).toEqual({ scheme, status: 200 });
      }
      for (const path of [`/api/app/installations?access_token=${key}`, `/api/app/installations?token=${key}`]) {
        expect((await http(t.url, 'GET', path)).status).toBe(401);
      }
      const bad = await requestError(octokitFor(`ihk_${'x'.repeat(43)}`).apps.listInstallations());
      expect(bad.status).toBe(401);
      expect(bad.response?.data).toEqual({ message: 'Bad credentials', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//) });
      expect(bad.response?.headers['x-github-request-id']).toBe(bad.response?.headers['x-request-id']);
    });
  });

  describe('installations', () => {
    it('lists them over several Link pages with octokit.paginate, in GitHub shapes', async () => {
      const pages: number[] = [];
      const all = await hub.paginate(hub.apps.listInstallations, { per_page: 1 }, (response) => {
        pages.push(response.data.length);
        return response.data;
      });
      expect(pages).toEqual([1, 1, 1]);
      expect(all.map((i) => i.id)).toEqual(ids);
      github.assert(github.responseSchema('GET', '/app/installations', 200), all, 'GET /api/app/installations');
      const first = fake.model.installations.get(ids[0])!;
      expect(all[0]).toMatchObject({
        app_id: fake.appId,
        app_slug: fake.appSlug,
        target_id: first.account.id,
        target_type: 'Organization',
        permissions: first.permissions,
        events: first.events,
        account: { login: first.account.login, id: first.account.id, node_id: expect.any(String) },
        access_tokens_url: `${SITE_URL}/api/app/installations/${ids[0]}/access_tokens`,
        repositories_url: `${SITE_URL}/api/installation/repositories`,
      });
    });

    it("answers get and the lookups by organization, repository and user as GitHub does, from what the hub knows", async () => {
      const first = fake.model.installations.get(ids[0])!;
      const [repo] = fake.model.installationRepos(first);
      const fromGithub = (await appOctokit().apps.getInstallation({ installation_id: ids[0] })).data;
      const got = (await hub.apps.getInstallation({ installation_id: ids[0] })).data;
      github.assert('installation', got, 'GET /api/app/installations/{id}');
      // The URLs point at the hub; the deprecated single-file fields (optional in GitHub's schema) are not kept.
      const notCompared = ['access_tokens_url', 'repositories_url', 'has_multiple_single_files', 'single_file_paths'];
      const withoutUrls = (i: object) => Object.fromEntries(Object.entries(i).filter(([k]) => !notCompared.includes(k)));
      expect(withoutUrls(got)).toEqual(withoutUrls(fromGithub));
      const byOrg = (await hub.apps.getOrgInstallation({ org: first.account.login.toUpperCase() })).data;
      const byRepo = (await hub.apps.getRepoInstallation({ owner: first.account.login, repo: repo.name })).data;
      expect([byOrg.id, byRepo.id]).toEqual([ids[0], ids[0]]);
      github.assert('installation', byOrg, 'GET /api/orgs/{org}/installation');
      github.assert('installation', byRepo, 'GET /api/repos/{owner}/{repo}/installation');
      const fourth = [...fake.model.installations.values()][3];
      for (const call of [
        () => hub.apps.getUserInstallation({ username: first.account.login }),
        () => hub.apps.getOrgInstallation({ org: fourth.account.login }),
        () => hub.apps.getRepoInstallation({ owner: first.account.login, repo: 'no-such-repo' }),
        () => hub.apps.getInstallation({ installation_id: fourth.id }),
        () => hub.apps.getInstallation({ installation_id: 'abc' as unknown as number }),
      ]) {
        const err = await requestError(call());
        expect(err.status).toBe(404);
        expect(err.response?.data).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) });
        github.assert('basic-error', err.response?.data, '404');
      }
    });

    it("shows another organization's key none of them (404, not 403)", async () => {
      const other = await addOrganization(t, 'Elsewhere');
      const stranger = octokitFor(await keyWithScopes(t, ['*'], t.key, { scoped_organization_id: other.organizationId }));
      expect((await stranger.apps.listInstallations()).data).toEqual([]);
      expect((await requestError(stranger.apps.getInstallation({ installation_id: ids[0] }))).status).toBe(404);
      expect((await requestError(stranger.apps.createInstallationAccessToken({ installation_id: ids[0] }))).status).toBe(404);
      expect((await requestError(stranger.apps.getOrgInstallation({ org: fake.installation.account.login }))).status).toBe(404);
    });

    it('clamps per_page to 100 and treats a page below 1 as page 1, as GitHub does', async () => {
      const huge = await hub.request('GET /app/installations', { per_page: 500, page: 0 });
      expect(huge.status).toBe(200);
      expect(huge.data.map((i: { id: number }) => i.id)).toEqual(ids);
      const second = await hub.request('GET /app/installations', { per_page: 2, page: 2, unknown_field: 'ignored' });
      expect(second.data.map((i: { id: number }) => i.id)).toEqual([ids[2]]);
      expect(second.headers.link).toContain(`<${SITE_URL}/api/app/installations?page=1&per_page=2>; rel="prev"`);
    });

    it('serves the same routes under /api/v3 for clients configured with a GitHub Enterprise Server base URL', async () => {
      const ghes = octokitFor(key, `${t.url}/api/v3`);
      expect((await ghes.apps.listInstallations()).data.map((i) => i.id)).toEqual(ids);
      expect((await ghes.apps.getInstallation({ installation_id: ids[1] })).data.id).toBe(ids[1]);
      const { data } = await ghes.apps.createInstallationAccessToken({ installation_id: ids[1] });
      expect(data.token).toMatch(/^ghs_/);
      expect((await requestError(ghes.apps.getInstallation({ installation_id: 1 }))).status).toBe(404);
    });
  });

  describe('installation tokens', () => {
    it('mints narrowed tokens with full repository objects, single-flight and cached, that work against GitHub', async () => {
      const installation = fake.model.installations.get(ids[0])!;
      const before = fake.mintCount(ids[0]);
      const narrowing = { installation_id: ids[0], repositories: ['repo-0002', 'repo-0005'], permissions: { contents: 'read' as const, metadata: 'read' as const } };
      const results = await Promise.all(Array.from({ length: 12 }, () => hub.apps.createInstallationAccessToken(narrowing)));
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
      expect(new Set(results.map((r) => r.data.token)).size).toBe(1);
      expect(fake.mintCount(ids[0])).toBe(before + 1);
      const minted = results[0].data;
      github.assert('installation-token', minted, 'POST /api/app/installations/{id}/access_tokens');
      expect(minted).toMatchObject({ repository_selection: 'selected', permissions: { contents: 'read', metadata: 'read' } });
      expect(minted.repositories!.map((r) => r.full_name).sort()).toEqual([`${installation.account.login}/repo-0002`, `${installation.account.login}/repo-0005`]);
      expect(minted.repositories![0]).toMatchObject({ owner: { login: installation.account.login }, default_branch: expect.any(String), clone_url: expect.any(String) });
      // Served from the cache afterwards.
      expect((await hub.apps.createInstallationAccessToken(narrowing)).data.token).toBe(minted.token);
      expect(fake.mintCount(ids[0])).toBe(before + 1);
      // The token is GitHub's: it works against GitHub and reaches exactly the two repositories.
      const asInstallation = new Octokit({ baseUrl: fake.url, auth: minted.token });
      const reachable = await asInstallation.paginate(asInstallation.apps.listReposAccessibleToInstallation, { per_page: 100 });
      expect(reachable.map((r) => r.name).sort()).toEqual(['repo-0002', 'repo-0005']);
    });

    it("mints without a body, and ignores fields GitHub does not know", async () => {
      const plain = await hub.apps.createInstallationAccessToken({ installation_id: ids[1] });
      expect(plain.status).toBe(201);
      expect(plain.data).toMatchObject({ on_behalf_of: null, repository_selection: 'all' });
      const raw = await http(t.url, 'POST', `/api/app/installations/${ids[1]}/access_tokens`, { headers: { authorization: `token ${key}` } });
      expect(raw.status).toBe(201);
      expect(raw.body.token).toBe(plain.data.token);
      const extra = await hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[1], colour: 'blue' });
      expect(extra.status).toBe(201);
    });

    it('follows repositories_url with the minted token, as GitHub clients do, and refuses tokens the hub did not mint', async () => {
      const { repositories_url } = (await hub.apps.getInstallation({ installation_id: ids[0] })).data;
      const { token } = (await hub.apps.createInstallationAccessToken({ installation_id: ids[0], repository_ids: fake.model.installationRepos(fake.model.installations.get(ids[0])!).slice(0, 3).map((r) => r.id) })).data;
      const asToken = octokitFor(token);
      const first = await asToken.request(`GET ${repositories_url}`, { per_page: 2 });
      expect(first.data.total_count).toBe(3);
      expect(first.headers.link).toContain(`${SITE_URL}/api/installation/repositories`);
      github.assert(github.responseSchema('GET', '/installation/repositories', 200), first.data, 'GET /api/installation/repositories');
      const all = await asToken.paginate(asToken.apps.listReposAccessibleToInstallation, { per_page: 2 });
      expect(all).toHaveLength(3);
      const unknown = await requestError(octokitFor('ghs_notMintedByTheHub0000000000000000').apps.listReposAccessibleToInstallation());
      expect(unknown.status).toBe(401);
      expect(unknown.response?.data).toMatchObject({ message: 'Bad credentials' });
      expect((await requestError(octokitFor(key).apps.listReposAccessibleToInstallation())).status).toBe(401);
    });

    it("answers GitHub's errors: 422 for bad input before any upstream call, 403 without the scope", async () => {
      const requestsBefore = fake.stats.requests;
      const level = await requestError(hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[0], permissions: { contents: 'owner' } } as never));
      expect(level.status).toBe(422);
      github.assert('validation-error', level.response?.data, '422');
      expect(level.response?.data).toMatchObject({ message: "Permission 'contents' must be read, write or admin", errors: [{ field: 'permissions.contents', code: 'invalid' }] });
      const shape = await requestError(hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[0], repositories: 'repo-0001' } as never));
      expect(shape.status).toBe(422);
      expect(shape.response?.data).toMatchObject({ message: 'Validation Failed', errors: [expect.objectContaining({ field: 'repositories', code: 'invalid' })] });
      github.assert('validation-error', shape.response?.data, '422');
      const many = await requestError(hub.apps.createInstallationAccessToken({ installation_id: ids[0], repositories: Array.from({ length: 501 }, (_, i) => `r${i}`) }));
      expect(many.status).toBe(422);
      expect(fake.stats.requests).toBe(requestsBefore);
      const json = await http(t.url, 'POST', `/api/app/installations/${ids[0]}/access_tokens`, { headers: { authorization: `token ${key}` }, rawBody: '{"repositories": [' });
      expect(json.status).toBe(400);
      expect(json.body).toEqual({ message: 'Problems parsing JSON', documentation_url: expect.any(String) });
      const readOnly = octokitFor(await keyWithScopes(t, ['integration:read'], t.key, { scoped_organization_id: t.organizationId }));
      expect((await readOnly.apps.listInstallations()).status).toBe(200);
      const denied = await requestError(readOnly.apps.createInstallationAccessToken({ installation_id: ids[0] }));
      expect(denied.status).toBe(403);
      expect(denied.response?.data).toEqual({ message: "API key missing required scope 'integration:write'", documentation_url: expect.any(String) });
      github.assert('basic-error', denied.response?.data, '403');
    });

    it('mints on behalf of a linked GitHub user named by their GitHub id (string or number), or by hub user id', async () => {
      const githubUser = fake.model.addUser('octo-member', [ids[0]]);
      // Linking over HTTP is GitHub's install flow, which also connects the installation to a project; this test
      // needs only the link, so it records one through the service.
      await t.hub.app.get(GithubUserLinksService).record(t.organizationId, t.userId, { id: githubUser.id, login: githubUser.login }, { token: 'ghu_unused', expiresAt: null });
      for (const user_id of [String(githubUser.id), githubUser.id, t.userId]) {
        const res = await hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[0], user_id } as never);
        const onBehalfOf = (res.data as { on_behalf_of?: { login: string } | null }).on_behalf_of;
        expect({ user_id, status: res.status, login: onBehalfOf?.login }).toEqual({ user_id, status: 201, login: githubUser.login });
      }
      const seed = await http(t.url, 'POST', `/api/installations/${ids[0]}/access_tokens`, { key, body: { user_id: '42' } });
      expect(seed.status).toBe(404);
      const stranger = await requestError(hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[0], user_id: 42 } as never));
      expect(stranger.status).toBe(404);
      const seedLinked = await http(t.url, 'POST', `/api/installations/${ids[0]}/access_tokens`, { key, body: { user_id: githubUser.id } });
      expect(seedLinked.body.on_behalf_of).toMatchObject({ login: githubUser.login, id: githubUser.id });
      // The preview identity route's repositories_url works with the installation token, as in GitHub's example.
      const identity = await http(t.url, 'POST', '/api/integration/identity/user', { key, body: { nonce: 'abc123' } });
      expect(identity.body.repositories_url).toBe(`${SITE_URL}/api/installation/repositories?user_id=${githubUser.id}`);
      const followed = await octokitFor(seedLinked.body.token).request(`GET ${identity.body.repositories_url}`);
      expect(followed.data.total_count).toBe(fake.model.installationRepos(fake.model.installations.get(ids[0])!).length);
    });
  });

  describe('without Redis (in-process caches)', () => {
    it('mints single-flight and answers repositories_url for the tokens it minted', async () => {
      const solo = await new FakeGithub({ repos: 4 }).start();
      const local = await startTestHub({ redis: false, env: { ...solo.env, GITHUB_REQUEST_RETRIES: '0' } });
      try {
        await connectInstallation(local, solo.installation.id, solo.installation.account.login);
        const octokit = new Octokit({ baseUrl: `${local.url}/api`, auth: local.key });
        const minted = await Promise.all(Array.from({ length: 6 }, () => octokit.apps.createInstallationAccessToken({ installation_id: solo.installation.id })));
        expect(new Set(minted.map((m) => m.data.token)).size).toBe(1);
        expect(solo.mintCount(solo.installation.id)).toBe(1);
        const asToken = new Octokit({ baseUrl: `${local.url}/api`, auth: minted[0].data.token });
        expect((await asToken.apps.listReposAccessibleToInstallation()).data.total_count).toBe(4);
      } finally {
        await local.close();
        await solo.stop();
      }
    });
  });

  describe('kept in sync by webhooks', () => {
    const hook = (event: string, payload: unknown) => fake.sendWebhook(`${t.url}/api/webhooks/github`, event, payload);

    it('installation_target.renamed updates the account login', async () => {
      const installation = fake.model.installations.get(ids[2])!;
      const from = installation.account.login;
      installation.account.login = `${from}-renamed`;
      const delivery = await hook('installation_target', { action: 'renamed', account: { login: installation.account.login, id: installation.account.id }, changes: { login: { from } }, target_type: 'Organization', installation: { id: installation.id } });
      expect(delivery.status).toBe(202);
      await waitFor(async () => ((await hub.apps.getInstallation({ installation_id: ids[2] })).data.account as { login?: string } | null)?.login === installation.account.login);
      expect((await hub.apps.getOrgInstallation({ org: installation.account.login })).data.id).toBe(ids[2]);
      expect((await requestError(hub.apps.getOrgInstallation({ org: from }))).status).toBe(404);
    });

    it('new_permissions_accepted refreshes permissions and drops only the cached tokens whose permissions changed', async () => {
      const installation = fake.model.installations.get(ids[1])!;
      const [repo] = fake.model.installationRepos(installation);
      const mint = async (body: Record<string, unknown> = {}) => (await hub.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: ids[1], ...body })).data;
      const full = await mint();
      const byRepo = await mint({ repositories: [repo.name] });
      const readContents = await mint({ permissions: { contents: 'read' } });
      const mintsBefore = fake.mintCount(ids[1]);
      installation.permissions = { ...installation.permissions, issues: 'write' };
      expect((await hook('installation', { action: 'new_permissions_accepted', installation: { id: installation.id }, sender: { id: 1 } })).status).toBe(202);
      await waitFor(async () => (await hub.apps.getInstallation({ installation_id: ids[1] })).data.permissions.issues === 'write');
      const fullAfter = await waitFor(async () => {
        const again = await mint();
        return again.token !== full.token ? again : null;
      });
      expect(fullAfter.permissions).toEqual(installation.permissions);
      expect((await mint({ repositories: [repo.name] })).token).not.toBe(byRepo.token);
      // Asked-for permissions the installation still grants: the cached token stays.
      expect((await mint({ permissions: { contents: 'read' } })).token).toBe(readContents.token);
      expect(fake.mintCount(ids[1])).toBe(mintsBefore + 2);
    });
  });
});
