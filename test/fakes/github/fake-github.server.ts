import { createHash, createHmac, generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { credentialOf, FakeAuthError, verifyAppJwt } from './fake-github.auth';
import { FakeGithubGraphql } from './fake-github.graphql';
import { FakeAccount, FakeBranchProtection, FakeGithubModel, FakeInstallation, FakeRepo, IssuedToken, TeamPermission } from './fake-github.model';
import { FakeGithubShapes } from './fake-github.shapes';

export interface FakeGithubOptions {
  port?: number;
  repos?: number;
  installations?: number;
  latencyMs?: number;
  accountLogin?: string;
}

/** A response the fake sends instead of the real one (rate limits, permission failures) for the next matching requests. */
interface InjectedFailure {
  route?: RegExp;
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Ctx {
  req: IncomingMessage;
  url: URL;
  params: string[];
  body: Record<string, unknown>;
}

/** `cost`: GraphQL points the response charges (REST responses cost 1 unless 304). */
type Reply = { status: number; body?: unknown; headers?: Record<string, string>; cost?: number };
type Handler = (ctx: Ctx) => Reply | null;

const RATE_LIMIT = { core: 5000, graphql: 5000 } as const;

const DOCS = 'https://docs.github.com/rest';
const PER_PAGE_MAX = 100;

/**
 * A fake GitHub (REST + OAuth web endpoints) over real HTTP: verifies app JWTs and tokens like GitHub, paginates
 * with Link headers, answers ETag/If-None-Match with 304, serves rate limits on demand and sends signed webhooks.
 */
export class FakeGithub {
  readonly model = new FakeGithubModel();
  private readonly graphql = new FakeGithubGraphql(this.model);
  readonly appId = 4242;
  readonly appSlug = 'hub-test-app';
  readonly clientId = 'Iv1.fakeclient0001';
  readonly clientSecret = randomBytes(20).toString('hex');
  readonly webhookSecret = randomBytes(16).toString('hex');
  readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;
  private server?: Server;
  private shapes!: FakeGithubShapes;
  url = '';
  latencyMs: number;
  readonly stats = { requests: 0, notModified: 0, byRoute: {} as Record<string, number> };
  private readonly failures: InjectedFailure[] = [];
  /** Rate limit used per credential (Authorization header) and resource, within the current (never-ending) window. */
  private readonly used = new Map<string, { core: number; graphql: number }>();
  private readonly routes: Array<[string, RegExp, string, Handler]> = [];
  /** Manifests posted to the "create a GitHub App" page, by the code GitHub hands back (one hour, single use). */
  private readonly manifestCodes = new Map<string, { manifest: Record<string, unknown>; owner: FakeAccount | null }>();
  /** Apps created from a manifest: their JWTs are accepted like the start-up app's. */
  readonly manifestApps: Array<{ id: number; slug: string; clientId: string; clientSecret: string; webhookSecret: string; pem: string; publicKey: KeyObject; manifest: Record<string, unknown> }> = [];

  constructor(private readonly opts: FakeGithubOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    this.publicKey = publicKey;
    this.latencyMs = opts.latencyMs ?? 0;
    this.defineRoutes();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.shapes = new FakeGithubShapes(this.url, this.url, { id: this.appId, slug: this.appSlug, clientId: this.clientId });
    const account = this.model.addAccount(this.opts.accountLogin ?? 'acme-org');
    const repos = this.model.addRepos(account, this.opts.repos ?? 5);
    this.model.addInstallation(account, repos);
    for (let i = 1; i < (this.opts.installations ?? 1); i++) {
      const other = this.model.addAccount(`acme-org-${i + 1}`);
      this.model.addInstallation(other, this.model.addRepos(other, 2));
    }
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The installation created at start-up. */
  get installation(): FakeInstallation {
    return this.model.installations.values().next().value as FakeInstallation;
  }

  /** The hub's GITHUB_* settings pointing at this fake. */
  get env(): Record<string, string> {
    return {
      GITHUB_API_URL: this.url,
      GITHUB_WEB_URL: this.url,
      GITHUB_APP_ID: String(this.appId),
      GITHUB_APP_CLIENT_ID: this.clientId,
      GITHUB_APP_CLIENT_SECRET: this.clientSecret,
      GITHUB_APP_PRIVATE_KEY: this.privateKeyPem,
      GITHUB_APP_SLUG: this.appSlug,
      GITHUB_WEBHOOK_SECRET: this.webhookSecret,
    };
  }

  /** The next `count` API requests (matching `route` when given) hit a rate limit (403 unless `status` says 429). */
  rateLimit(opts: { kind: 'primary' | 'secondary'; count?: number; resetInSeconds?: number; route?: RegExp; status?: 403 | 429 }): void {
    const reset = opts.resetInSeconds ?? 120;
    const headers: Record<string, string> =
      opts.kind === 'primary'
        ? { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + reset) }
        : { 'retry-after': String(reset) };
    const message =
      opts.kind === 'primary'
        ? 'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.'
        : 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    this.failures.push({ route: opts.route, remaining: opts.count ?? 1, status: opts.status ?? 403, headers, body: { message, documentation_url: DOCS } });
  }

  /** The next `count` GraphQL queries time out as GitHub's do: 200 with `data: null` and its "Something went wrong" error. */
  graphqlTimeout(count = 1): void {
    const message = 'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `F00D:1234` when reporting this issue.';
    this.failures.push({ route: /^\/graphql$/, remaining: count, status: 200, headers: {}, body: { data: null, errors: [{ message }] } });
  }

  /** Changes a repository between scans (drift tests): `name` is `repo` or `owner/repo`. */
  updateRepo(name: string, patch: Partial<Omit<FakeRepo, 'id' | 'owner' | 'defaultBranchProtection'>> & { defaultBranchProtection?: Partial<FakeBranchProtection> | null }): FakeRepo {
    const repo = [...this.model.repos.values()].find((r) => r.name === name || `${r.owner.login}/${r.name}` === name);
    if (!repo) throw new Error(`no repository ${name}`);
    const { defaultBranchProtection, ...rest } = patch;
    Object.assign(repo, rest, { updatedAt: new Date().toISOString() });
    if (defaultBranchProtection === null) repo.defaultBranchProtection = null;
    else if (defaultBranchProtection) {
      repo.defaultBranchProtection = { requiredReviews: 0, enforceAdmins: false, requireStatusChecks: [], ...repo.defaultBranchProtection, ...defaultBranchProtection };
    }
    return repo;
  }

  /** The next matching request fails as GitHub does when the app lacks a permission. */
  denyPermission(route: RegExp, permission: string, count = 1): void {
    this.failures.push({
      route,
      remaining: count,
      status: 403,
      headers: { 'x-accepted-github-permissions': permission },
      body: { message: 'Resource not accessible by integration', documentation_url: DOCS },
    });
  }

  /** A user who completed GitHub's OAuth page: returns a code the hub can exchange. */
  issueCode(userId: number): string {
    const code = randomBytes(10).toString('hex');
    this.model.codes.set(code, userId);
    return code;
  }

  mintCount(installationId?: number): number {
    return [...this.model.tokens.values()].filter((t) => t.kind === 'installation' && (installationId === undefined || t.installationId === installationId)).length;
  }

  /** Sends a signed webhook delivery like GitHub (X-Hub-Signature-256 over the exact bytes). */
  async sendWebhook(target: string, event: string, payload: unknown, opts: { deliveryId?: string; signature?: string | null } = {}) {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': opts.deliveryId ?? randomUUID(),
      'x-github-hook-installation-target-type': 'integration',
      'x-github-hook-installation-target-id': String(this.appId),
    };
    const signature = opts.signature === undefined ? `sha256=${createHmac('sha256', this.webhookSecret).update(body).digest('hex')}` : opts.signature;
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    const res = await fetch(target, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text(), deliveryId: headers['x-github-delivery'] };
  }

  private route(method: string, pattern: string, handler: Handler): void {
    const re = new RegExp(`^${pattern.replace(/:[a-z_]+/g, '([^/]+)')}/?$`);
    this.routes.push([method, re, `${method} ${pattern}`, handler]);
  }

  private defineRoutes(): void {
    this.route('GET', '/_fake/stats', () => ({ status: 200, body: this.stats }));
    this.route('PATCH', '/_fake/repos/:owner/:name', (c) => {
      const repo = this.updateRepo(`${decodeURIComponent(c.params[0])}/${decodeURIComponent(c.params[1])}`, c.body);
      return { status: 200, body: { id: repo.id, name: repo.name } };
    });
    this.route('POST', '/graphql', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const { cost, ...body } = this.graphql.execute(token, c.body.query, c.body.variables);
      return { status: 200, body, cost };
    });
    this.route('GET', '/app/installations', (c) => {
      this.appAuth(c);
      return this.page(c, [...this.model.installations.values()].map((i) => this.shapes.installation(i)));
    });
    this.route('GET', '/app/installations/:id', (c) => {
      this.appAuth(c);
      return { status: 200, body: this.shapes.installation(this.findInstallation(c.params[0])) };
    });
    this.route('GET', '/orgs/:org/installation', (c) => {
      this.appAuth(c);
      return { status: 200, body: this.shapes.installation(this.installationOn(c.params[0], 'Organization')) };
    });
    this.route('GET', '/users/:username/installation', (c) => {
      this.appAuth(c);
      return { status: 200, body: this.shapes.installation(this.installationOn(c.params[0], 'User')) };
    });
    this.route('GET', '/repos/:owner/:repo/installation', (c) => {
      this.appAuth(c);
      const fullName = `${decodeURIComponent(c.params[0])}/${decodeURIComponent(c.params[1])}`.toLowerCase();
      const installation = [...this.model.installations.values()].find((i) => this.model.installationRepos(i).some((r) => `${r.owner.login}/${r.name}`.toLowerCase() === fullName));
      if (!installation) throw new FakeAuthError(404, 'Not Found');
      return { status: 200, body: this.shapes.installation(installation) };
    });
    this.route('POST', '/app/installations/:id/access_tokens', (c) => {
      this.appAuth(c);
      return this.mint(this.findInstallation(c.params[0]), c.body);
    });
    this.route('GET', '/installation/repositories', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const installation = this.findInstallation(String(token.installationId));
      const repos = this.model.installationRepos(installation).filter((r) => !token.repoIds || token.repoIds.includes(r.id));
      const page = this.page(c, repos.map((r) => this.shapes.repository(r)));
      return { ...page, body: { total_count: repos.length, repository_selection: installation.repositorySelection, repositories: page.body } };
    });
    this.route('GET', '/repos/:owner/:repo/branches', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const fullName = `${decodeURIComponent(c.params[0])}/${decodeURIComponent(c.params[1])}`.toLowerCase();
      const installation = this.findInstallation(String(token.installationId));
      const repo = this.model.installationRepos(installation).find((r) => `${r.owner.login}/${r.name}`.toLowerCase() === fullName && (!token.repoIds || token.repoIds.includes(r.id)));
      if (!repo) return null;
      const names = [...new Set([repo.defaultBranch, ...(repo.branches ?? [])])].sort();
      return this.page(c, names.map((name) => this.shapes.shortBranch(repo, name)));
    });
    this.route('GET', '/orgs/:org/teams', (c) => {
      const org = this.orgFor(c, 'members');
      return this.page(c, [...this.model.teams.values()].filter((t) => t.org.id === org.id).map((t) => this.shapes.team(t)));
    });
    this.route('GET', '/orgs/:org/teams/:slug/repos', (c) => {
      const org = this.orgFor(c, 'members');
      const team = [...this.model.teams.values()].find((t) => t.org.id === org.id && t.slug === decodeURIComponent(c.params[1]));
      if (!team) return null;
      const repos = [...team.repos].map(([id, role]) => [this.model.repos.get(id), role] as const).filter((x): x is readonly [FakeRepo, TeamPermission] => !!x[0]);
      return this.page(c, repos.map(([r, role]) => this.shapes.teamRepository(r, role)));
    });
    this.route('GET', '/orgs/:org/secret-scanning/alerts', (c) => {
      const org = this.orgFor(c, 'secret_scanning_alerts');
      if (this.model.secretScanningDisabled.has(org.login.toLowerCase())) return null;
      const state = c.url.searchParams.get('state');
      const repos = [...this.model.repos.values()].filter((r) => r.owner.id === org.id);
      // Every fake alert is open.
      const alerts = state && state !== 'open' ? [] : repos.flatMap((r) => Array.from({ length: r.openSecretScanningAlerts }, (_, i) => this.shapes.secretScanningAlert(r, i + 1)));
      return this.page(c, alerts);
    });
    this.route('GET', '/orgs/:org', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const org = [...this.model.accounts.values()].find((a) => a.type === 'Organization' && a.login.toLowerCase() === decodeURIComponent(c.params[0]).toLowerCase());
      if (!org) return null;
      const own = this.model.installations.get(token.installationId ?? -1)?.account.id === org.id;
      return { status: 200, body: this.shapes.organizationFull(org, own && !!token.permissions?.organization_administration) };
    });
    this.route('GET', '/orgs/:org/actions/permissions', (c) => {
      const org = this.orgFor(c, 'organization_administration');
      const a = org.actions!;
      return { status: 200, body: { enabled_repositories: a.enabledRepositories, ...(a.enabledRepositories === 'none' ? {} : { allowed_actions: a.allowedActions }), sha_pinning_required: false } };
    });
    this.route('GET', '/orgs/:org/actions/permissions/workflow', (c) => {
      const a = this.orgFor(c, 'organization_administration').actions!;
      return { status: 200, body: { default_workflow_permissions: a.defaultWorkflowPermissions, can_approve_pull_request_reviews: a.canApprovePullRequestReviews } };
    });
    this.route('GET', '/orgs/:org/members', (c) => {
      const org = this.orgFor(c, 'members');
      // Only owners are modelled as members: role=member (and all) list them too, as owners are members.
      const owners = (org.owners ?? []).map((login, i): FakeAccount => ({ id: org.id * 1000 + i, login, type: 'User' }));
      return this.page(c, owners.map((o) => this.shapes.simpleUser(o)));
    });
    this.route('GET', '/orgs/:org/repos', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const login = decodeURIComponent(c.params[0]).toLowerCase();
      const installation = this.model.installations.get(token.installationId ?? -1);
      if (!installation || installation.account.login.toLowerCase() !== login) throw new FakeAuthError(404, 'Not Found');
      const repos = this.model.installationRepos(installation).filter((r) => !token.repoIds || token.repoIds.includes(r.id));
      return this.page(c, repos.map((r) => this.shapes.minimalRepository(r, !!token.permissions?.administration)));
    });
    this.route('GET', '/repos/:owner/:repo/hooks', (c) => {
      const token = this.tokenAuth(c, 'installation');
      const installation = this.model.installations.get(token.installationId ?? -1);
      const full = `${decodeURIComponent(c.params[0])}/${decodeURIComponent(c.params[1])}`.toLowerCase();
      const repo = installation && this.model.installationRepos(installation).find((r) => `${r.owner.login}/${r.name}`.toLowerCase() === full && (!token.repoIds || token.repoIds.includes(r.id)));
      if (!repo) throw new FakeAuthError(404, 'Not Found');
      if (!token.permissions?.repository_hooks) throw new FakeAuthError(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': 'repository_hooks=read' });
      return this.page(c, (repo.hooks ?? []).map((h) => this.shapes.hook(repo, h)));
    });
    this.route('GET', '/user', (c) => {
      const token = this.tokenAuth(c, 'user');
      return { status: 200, body: this.shapes.publicUser(this.model.users.get(token.userId!)!) };
    });
    this.route('GET', '/user/installations', (c) => {
      const token = this.tokenAuth(c, 'user');
      const user = this.model.users.get(token.userId!)!;
      const all = user.installationIds.map((id) => this.model.installations.get(id)).filter((i): i is FakeInstallation => !!i);
      const page = this.page(c, all.map((i) => this.shapes.installation(i)));
      return { ...page, body: { total_count: all.length, installations: page.body } };
    });
    this.route('POST', '/login/oauth/access_token', (c) => this.exchangeCode(c.body));
    this.route('GET', '/apps/:slug/installations/new', () => ({ status: 200, body: { page: 'install' } }));
    // GitHub's "register a GitHub App from a manifest" pages: the form POSTs `manifest`; GitHub redirects to the
    // manifest's redirect_url with a code and the form's state once the user confirms (here: at once).
    this.route('POST', '/settings/apps/new', (c) => this.acceptManifest(c, null));
    this.route('POST', '/organizations/:org/settings/apps/new', (c) => {
      const login = decodeURIComponent(c.params[0]).toLowerCase();
      const org = [...this.model.accounts.values()].find((a) => a.type === 'Organization' && a.login.toLowerCase() === login);
      if (!org) throw new FakeAuthError(404, 'Not Found');
      return this.acceptManifest(c, org);
    });
    this.route('POST', '/app-manifests/:code/conversions', (c) => this.convertManifest(decodeURIComponent(c.params[0])));
    this.route('GET', '/login/oauth/authorize', () => ({ status: 200, body: { page: 'authorize' } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const raw = await readBody(req);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const found = this.routes.find(([m, re]) => m === req.method && re.test(url.pathname));
    const routeName = found ? found[2] : `${req.method} unmatched`;
    if (!url.pathname.startsWith('/_fake/')) {
      this.stats.requests++;
      this.stats.byRoute[routeName] = (this.stats.byRoute[routeName] ?? 0) + 1;
    }
    let out: Reply;
    try {
      const failure = this.takeFailure(url.pathname);
      if (failure) out = failure;
      else if (!found) out = { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
      else {
        const body = parseBody(raw, req.headers['content-type']);
        out = found[3]({ req, url, params: found[1].exec(url.pathname)!.slice(1), body }) ?? { status: 404, body: { message: 'Not Found' } };
      }
    } catch (err) {
      out = err instanceof FakeAuthError ? { status: err.status, body: { message: err.message, documentation_url: DOCS }, headers: err.headers } : { status: 500, body: { message: String(err) } };
    }
    const resource = url.pathname === '/graphql' ? 'graphql' : url.pathname.startsWith('/_fake/') || url.pathname.startsWith('/login/') || !found ? null : 'core';
    this.send(req, res, out, resource);
  }

  private send(req: IncomingMessage, res: ServerResponse, out: Reply, resource: 'core' | 'graphql' | null): void {
    const json = out.body === undefined ? '' : JSON.stringify(out.body);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': randomUUID(), ...out.headers };
    if (req.method === 'GET' && out.status === 200) {
      const etag = `W/"${createHash('sha1').update(json).update(req.headers.authorization ?? '').digest('hex')}"`;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        // GitHub does not count a 304 against the rate limit.
        this.stats.notModified++;
        res.writeHead(304, { etag, ...this.rateLimitHeaders(req, resource, 0) });
        res.end();
        return;
      }
    }
    res.writeHead(out.status, { ...headers, ...(out.headers?.['x-ratelimit-remaining'] ? {} : this.rateLimitHeaders(req, resource, out.cost ?? 1)) });
    res.end(json);
  }

  /** Charges `cost` to the credential's budget for `resource` and describes it as GitHub's x-ratelimit-* headers do. */
  private rateLimitHeaders(req: IncomingMessage, resource: 'core' | 'graphql' | null, cost: number): Record<string, string> {
    if (!resource || !req.headers.authorization) return {};
    const used = this.used.get(req.headers.authorization) ?? { core: 0, graphql: 0 };
    used[resource] += cost;
    this.used.set(req.headers.authorization, used);
    return {
      'x-ratelimit-limit': String(RATE_LIMIT[resource]),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT[resource] - used[resource])),
      'x-ratelimit-used': String(used[resource]),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': resource,
    };
  }

  private takeFailure(path: string) {
    if (path.startsWith('/_fake/') || path.startsWith('/login/')) return null;
    const f = this.failures.find((x) => x.remaining > 0 && (!x.route || x.route.test(path)));
    if (!f) return null;
    f.remaining--;
    if (f.remaining === 0) this.failures.splice(this.failures.indexOf(f), 1);
    return { status: f.status, body: f.body, headers: f.headers };
  }

  private appAuth(c: Ctx): void {
    const jwt = credentialOf(c.req.headers.authorization);
    if (!jwt) throw new FakeAuthError(401, 'A JSON web token could not be decoded');
    const issuer = (() => {
      try {
        return String((JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss);
      } catch {
        return '';
      }
    })();
    const app = this.manifestApps.find((a) => String(a.id) === issuer || a.clientId === issuer);
    if (app) verifyAppJwt(jwt, app.publicKey, [String(app.id), app.clientId]);
    else verifyAppJwt(jwt, this.publicKey, [String(this.appId), this.clientId]);
  }

  private acceptManifest(c: Ctx, owner: FakeAccount | null): Reply {
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(String(c.body.manifest ?? '')) as Record<string, unknown>;
    } catch {
      return unprocessable('Invalid GitHub App configuration: the manifest is not JSON');
    }
    if (typeof manifest.url !== 'string' || typeof manifest.redirect_url !== 'string') return unprocessable('Invalid GitHub App configuration: url and redirect_url are required');
    const code = randomBytes(10).toString('hex');
    this.manifestCodes.set(code, { manifest, owner });
    const target = new URL(manifest.redirect_url);
    target.searchParams.set('code', code);
    const state = c.url.searchParams.get('state');
    if (state) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  }

  /** `POST /app-manifests/{code}/conversions`: creates the App and answers its credentials once (no authentication). */
  private convertManifest(code: string): Reply {
    const pending = this.manifestCodes.get(code);
    if (!pending) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    this.manifestCodes.delete(code);
    const { manifest } = pending;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = this.appId + 1 + this.manifestApps.length;
    const name = String(manifest.name ?? `app-${id}`);
    const app = {
      id,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      clientId: `Iv1.manifest${String(id).padStart(6, '0')}`,
      clientSecret: randomBytes(20).toString('hex'),
      webhookSecret: randomBytes(16).toString('hex'),
      pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKey,
      manifest,
    };
    this.manifestApps.push(app);
    const owner = pending.owner ?? this.installation.account;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      status: 201,
      body: {
        id: app.id,
        slug: app.slug,
        node_id: Buffer.from(`App${app.id}`).toString('base64'),
        client_id: app.clientId,
        owner: this.shapes.simpleUser(owner),
        name,
        description: typeof manifest.description === 'string' ? manifest.description : null,
        external_url: manifest.url,
        html_url: `${this.url}/apps/${app.slug}`,
        created_at: now,
        updated_at: now,
        permissions: manifest.default_permissions ?? {},
        events: manifest.default_events ?? [],
        installations_count: 0,
        client_secret: app.clientSecret,
        webhook_secret: app.webhookSecret,
        pem: app.pem,
      },
    };
  }

  private tokenAuth(c: Ctx, kind: IssuedToken['kind']): IssuedToken {
    const token = this.model.tokens.get(credentialOf(c.req.headers.authorization) ?? '');
    if (!token || token.kind !== kind || token.expiresAt <= Date.now()) throw new FakeAuthError(401, 'Bad credentials');
    if (token.installationId && this.model.installations.get(token.installationId)?.suspendedAt) throw new FakeAuthError(403, 'This installation has been suspended');
    return token;
  }

  /**
   * The organization of an `/orgs/:org/...` route, for an installation token of that organization holding `permission`
   * (GitHub answers 403 "Resource not accessible by integration" otherwise, naming the permission).
   */
  private orgFor(c: Ctx, permission: string): FakeAccount {
    const token = this.tokenAuth(c, 'installation');
    const login = decodeURIComponent(c.params[0]).toLowerCase();
    const org = [...this.model.accounts.values()].find((a) => a.type === 'Organization' && a.login.toLowerCase() === login);
    const installation = this.model.installations.get(token.installationId ?? -1);
    if (!org || installation?.account.id !== org.id) throw new FakeAuthError(404, 'Not Found');
    if (!token.permissions?.[permission]) throw new FakeAuthError(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': `${permission}=read` });
    return org;
  }

  private findInstallation(id: string): FakeInstallation {
    const installation = this.model.installations.get(Number(id));
    if (!installation) throw new FakeAuthError(404, 'Not Found');
    return installation;
  }

  /** The app's installation on an account, by login (case-insensitive) and type, as GitHub's lookup routes find it. */
  private installationOn(login: string, type: FakeAccount['type']): FakeInstallation {
    const wanted = decodeURIComponent(login).toLowerCase();
    const installation = [...this.model.installations.values()].find((i) => i.account.type === type && i.account.login.toLowerCase() === wanted);
    if (!installation) throw new FakeAuthError(404, 'Not Found');
    return installation;
  }

  private mint(installation: FakeInstallation, body: Record<string, unknown>) {
    if (installation.suspendedAt) throw new FakeAuthError(403, 'This installation has been suspended');
    const names = body.repositories as string[] | undefined;
    const ids = body.repository_ids as number[] | undefined;
    if ((names?.length ?? 0) + (ids?.length ?? 0) > 500) return unprocessable('Too many repositories: at most 500 may be requested.');
    const repos = this.model.installationRepos(installation);
    let selected: typeof repos | undefined;
    if (names || ids) {
      selected = repos.filter((r) => names?.includes(r.name) || ids?.includes(r.id));
      if (selected.length !== (names?.length ?? 0) + (ids?.length ?? 0)) {
        return unprocessable('There is at least one repository that does not exist or is not accessible to the parent installation.');
      }
    }
    const requested = body.permissions as Record<string, string> | undefined;
    const rank = { read: 1, write: 2, admin: 3 } as Record<string, number>;
    if (requested && Object.entries(requested).some(([k, v]) => !installation.permissions[k] || rank[v] > rank[installation.permissions[k]])) {
      return unprocessable('The permissions requested are not granted to this installation.');
    }
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = Date.now() + 3600_000;
    const permissions = requested ?? installation.permissions;
    this.model.tokens.set(token, { token, kind: 'installation', installationId: installation.id, expiresAt, permissions, repoIds: selected?.map((r) => r.id) });
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions,
        repository_selection: selected ? 'selected' : installation.repositorySelection,
        ...(selected ? { repositories: selected.map((r) => this.shapes.repository(r)) } : {}),
      },
    };
  }

  private exchangeCode(body: Record<string, unknown>) {
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret) {
      return { status: 200, body: { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' } };
    }
    const userId = this.model.codes.get(String(body.code));
    if (userId === undefined) {
      return { status: 200, body: { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' } };
    }
    this.model.codes.delete(String(body.code));
    const token = `ghu_${randomBytes(18).toString('base64url')}`;
    this.model.tokens.set(token, { token, kind: 'user', userId, expiresAt: Date.now() + 8 * 3600_000 });
    return { status: 200, body: { access_token: token, token_type: 'bearer', scope: '', expires_in: 28800 } };
  }

  private page(c: Ctx, items: unknown[]) {
    const perPage = Math.min(PER_PAGE_MAX, Math.max(1, Number(c.url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(c.url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(c.url.pathname, this.url);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : undefined };
  }
}

function unprocessable(message: string) {
  return { status: 422, body: { message, documentation_url: DOCS } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}
