import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeAccount, FakeInstallation } from './fakes/github/fake-github.model';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';

const FULL = { contents: 'read', metadata: 'read', administration: 'read', vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read' } as const;

describe('GitHub org scan (workspace face)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let hand: FakeInstallation;

  /** An organization on the fake with hand-built repositories whose findings we know. */
  function handBuiltOrg(login: string): FakeInstallation {
    const account: FakeAccount = fake.model.addAccount(login);
    const m = fake.model;
    const repos = [
      m.addRepo(account, {
        name: 'protected',
        defaultBranchProtection: { requiredReviews: 2, enforceAdmins: true, requireStatusChecks: ['ci', 'lint'], requireCodeOwnerReviews: true },
        admins: ['alice'],
        files: { 'SECURITY.md': '# s', '.github/CODEOWNERS': '* @acme/core' },
      }),
      m.addRepo(account, { name: 'unprotected', visibility: 'public', admins: ['alice', 'bob'], files: { 'SECURITY.md': '# s' }, outsideCollaborators: ['eve'] }),
      m.addRepo(account, { name: 'archived', archived: true }),
      m.addRepo(account, {
        name: 'weak',
        defaultBranchProtection: { requiredReviews: 0, enforceAdmins: false, requireStatusChecks: [], allowForcePushes: true },
        files: { CODEOWNERS: '* @x' },
        openVulnerabilityAlerts: 3,
      }),
    ];
    return m.addInstallation(account, repos, { permissions: { ...FULL } });
  }

  const orgHeaders = (orgId: string) => ({ 'x-organization-id': orgId });
  const call = (method: string, path: string, opts: { key?: string; org?: string; body?: unknown } = {}) =>
    http(t.url, method, `/api/integrations/github/${path}`, { key: opts.key ?? t.key, headers: orgHeaders(opts.org ?? t.organizationId), body: opts.body });
  const scanToEnd = async (org = t.organizationId) => {
    const started = await call('POST', 'scan-org', { org });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const p = await call('GET', 'scan-progress', { org });
      return p.body.scanId === started.body.scanId && ['completed', 'failed', 'cancelled'].includes(p.body.status) ? p.body : null;
    }, 30_000);
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    hand = handBuiltOrg('hand-org');
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0', SCAN_MAX_REQUESTS_PER_SECOND: '50' } });
    await connectInstallation(t, hand.id, 'hand-org');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('is idle before the first scan and has no results', async () => {
    const other = await addOrganization(t, 'Never scanned');
    expect((await call('GET', 'scan-progress', { org: other.organizationId })).body).toEqual({ scanId: null, status: 'idle', progress: 0, reposScanned: 0, reposTotal: 0, startedAt: null });
    expect((await call('GET', 'scan-status', { org: other.organizationId })).body).toEqual({ lastCompletedAt: null, lastScanId: null, status: 'idle' });
    const results = await call('GET', 'scan-results', { org: other.organizationId });
    expect(results.status).toBe(404);
    expect(results.body).toMatchObject({ statusCode: 404, code: 'SCAN_NOT_FOUND' });
    expect((await call('POST', 'scan-org', { org: other.organizationId })).body).toMatchObject({ statusCode: 409, code: 'GITHUB_NOT_CONNECTED' });
  });

  it('reports sufficient permissions from the installation, and what is missing otherwise', async () => {
    const ok = await call('GET', 'scan-permissions');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ sufficient: true, required: { metadata: 'read', contents: 'read', administration: 'read' }, missing: [], granted: FULL });
    const weak = await addOrganization(t, 'Weak perms');
    const acct = fake.model.addAccount('weak-org');
    const inst = fake.model.addInstallation(acct, fake.model.addRepos(acct, 1), { permissions: { metadata: 'read', contents: 'read' } });
    await connectInstallation(t, inst.id, 'weak-org', weak.organizationId);
    const res = await call('GET', 'scan-permissions', { org: weak.organizationId });
    expect(res.body).toMatchObject({ sufficient: false, missing: ['administration'], granted: { metadata: 'read', contents: 'read' } });
    expect(res.body.installations).toEqual([{ installationId: String(inst.id), accountLogin: 'weak-org', sufficient: false, granted: { metadata: 'read', contents: 'read' }, missing: ['administration'] }]);
  });

  it('scans hand-built repositories to completion with the right findings, in one GraphQL request', async () => {
    const graphqlBefore = fake.stats.byRoute['POST /graphql'] ?? 0;
    const done = await scanToEnd();
    expect(done).toMatchObject({ status: 'completed', progress: 100, reposScanned: 4, reposTotal: 4 });
    expect((fake.stats.byRoute['POST /graphql'] ?? 0) - graphqlBefore).toBe(1);
    const res = await call('GET', 'scan-results?per_page=100');
    expect(res.status).toBe(200);
    const by = (repo: string) => res.body.results.filter((r: { repo: string }) => r.repo === `hand-org/${repo}`).map((r: { check: string; severity: string }) => `${r.check}:${r.severity}`);
    expect(by('protected')).toEqual([]);
    expect(by('unprotected')).toEqual(['branch_protection:high', 'codeowners:low']);
    expect(by('archived')).toEqual(['archived:info']);
    expect(by('weak').sort()).toEqual(['force_pushes:high', 'no_admins:medium', 'required_reviews:medium', 'security_policy:low', 'status_checks:medium', 'vulnerability_alerts:high']);
    expect(res.body).toMatchObject({ total: 9, page: 1, per_page: 100, scanId: done.scanId });
    const filtered = await call('GET', 'scan-results?severity=high&repo=weak');
    expect(filtered.body.results).toEqual([
      { repo: 'hand-org/weak', check: 'force_pushes', severity: 'high', message: "Default branch 'main' allows force pushes", repoStatus: 'ok' },
      { repo: 'hand-org/weak', check: 'vulnerability_alerts', severity: 'high', message: '3 open vulnerability alerts; baseline allows 0', repoStatus: 'ok' },
    ]);
    const rows = await t.db.query('SELECT repo, snapshot FROM github_scan_results WHERE scan_id = $1 ORDER BY repo', [done.scanId]);
    expect(rows.rows.map((r: { repo: string }) => r.repo)).toEqual(['hand-org/archived', 'hand-org/protected', 'hand-org/unprotected', 'hand-org/weak']);
    expect(rows.rows[1].snapshot).toMatchObject({ visibility: 'private', protection: { requiredReviewCount: 2, codeOwnerReviews: true, enforceAdmins: true, requiredStatusChecks: ['ci', 'lint'] }, admins: ['alice'], hasSecurityPolicy: true, hasCodeowners: true });
    expect(rows.rows[2].snapshot).toMatchObject({ visibility: 'public', protection: false, admins: ['alice', 'bob'], outsideCollaborators: 1 });
    const status = await call('GET', 'scan-status');
    expect(status.body).toEqual({ lastCompletedAt: done.finishedAt, lastScanId: done.scanId, status: 'completed' });
  });

  it('rescans from the cache (a 304 probe, no GraphQL); invalidate forces fresh reads and drift shows a change made on GitHub', async () => {
    const before = { graphql: fake.stats.byRoute['POST /graphql'] ?? 0, all: fake.stats.requests };
    fake.updateRepo('hand-org/unprotected', { defaultBranchProtection: { requiredReviews: 1, requireStatusChecks: ['ci'] } });
    await scanToEnd();
    expect(fake.stats.byRoute['POST /graphql'] ?? 0).toBe(before.graphql);
    expect(fake.stats.requests - before.all).toBe(1);
    const invalidated = await call('POST', 'scan-cache/invalidate');
    expect(invalidated.body).toEqual({ invalidated: true, installations: 1 });
    const third = await scanToEnd();
    expect(fake.stats.byRoute['POST /graphql']).toBe(before.graphql + 1);
    const drift = await call('GET', 'scan-drift');
    expect(drift.status).toBe(200);
    expect(drift.body).toMatchObject({ toScanId: third.scanId, added: 0, removed: 0, changed: 1 });
    expect(drift.body.repos).toEqual([
      expect.objectContaining({
        repo: 'hand-org/unprotected',
        kind: 'changed',
        findingsResolved: [{ check: 'branch_protection', severity: 'high', message: "Default branch 'main' is not protected" }],
        findingsAdded: [],
        changes: expect.arrayContaining([{ field: 'protection', before: false, after: null }, { field: 'protection.requiredReviewCount', before: null, after: 1 }]),
      }),
    ]);
  });

  it('applies an edited baseline from the next scan', async () => {
    expect((await call('GET', 'scan-baseline')).body).toMatchObject({ isDefault: true, minApprovingReviews: 1, requireCodeowners: true });
    const put = await call('PUT', 'scan-baseline', { body: { minApprovingReviews: 2, requireCodeowners: false } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ isDefault: false, minApprovingReviews: 2, requireCodeowners: false, requireSecurityPolicy: true });
    expect((await call('PUT', 'scan-baseline', { body: { minApprovingReviews: 'two' } })).status).toBe(400);
    expect((await call('PUT', 'scan-baseline', { body: { nope: true } })).status).toBe(400);
    await call('POST', 'scan-cache/invalidate');
    await scanToEnd();
    const res = await call('GET', 'scan-results?check=required_reviews');
    expect(res.body.results.map((r: { repo: string }) => r.repo)).toEqual(['hand-org/unprotected', 'hand-org/weak']);
    expect((await call('GET', 'scan-results?check=codeowners')).body.total).toBe(0);
  });

  it('runs one scan per organization under concurrent requests, and cancels it', async () => {
    const org = await addOrganization(t, 'Busy org');
    const acct = fake.model.addAccount('busy-org');
    const inst = fake.model.addInstallation(acct, fake.model.addRepos(acct, 300), { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'busy-org', org.organizationId);
    fake.latencyMs = 150;
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => call('POST', 'scan-org', { org: org.organizationId })));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
      expect(new Set(answers.map((a) => a.body.scanId)).size).toBe(1);
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM github_scans WHERE organization_id = $1`, [org.organizationId]);
      expect(rows.rows[0].n).toBe(1);
      const cancelled = await call('POST', 'scan-cancel', { org: org.organizationId });
      expect(cancelled.body).toMatchObject({ scanId: answers[0].body.scanId, status: 'cancelled' });
      expect((await call('POST', 'scan-cancel', { org: org.organizationId })).body).toMatchObject({ statusCode: 409, code: 'SCAN_NOT_RUNNING' });
      const next = await call('POST', 'scan-org', { org: org.organizationId });
      expect(next.body.scanId).not.toBe(answers[0].body.scanId);
      await call('POST', 'scan-cancel', { org: org.organizationId });
    } finally {
      fake.latencyMs = 0;
    }
  });

  it('slows down under primary and secondary rate limits and completes', async () => {
    const org = await addOrganization(t, 'Limited org');
    const acct = fake.model.addAccount('limited-org');
    const inst = fake.model.addInstallation(acct, fake.model.addRepos(acct, 250), { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'limited-org', org.organizationId);
    fake.rateLimit({ kind: 'secondary', count: 1, resetInSeconds: 1, route: /^\/graphql/ });
    fake.rateLimit({ kind: 'primary', count: 1, resetInSeconds: 1, route: /^\/graphql/, status: 429 });
    const graphqlBefore = fake.stats.byRoute['POST /graphql'] ?? 0;
    const startedAt = Date.now();
    const done = await scanToEnd(org.organizationId);
    expect(done).toMatchObject({ status: 'completed', reposScanned: 250, reposTotal: 250 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    // 3 pages plus the 2 refused attempts (a cancelled scan of the previous test may still finish its page in flight).
    expect(fake.stats.byRoute['POST /graphql'] - graphqlBefore).toBeGreaterThanOrEqual(5);
    const scan = await t.db.query('SELECT github_requests FROM github_scans WHERE id = $1', [done.scanId]);
    // 3 pages, the probe, and the organization's team list and secret scanning alerts (one page each).
    expect(scan.rows[0].github_requests).toBe(6);
    const n = await t.db.query('SELECT count(*)::int AS n, count(DISTINCT repository_id)::int AS d FROM github_scan_results WHERE scan_id = $1', [done.scanId]);
    expect(n.rows[0]).toEqual({ n: 250, d: 250 });
  });

  it('refuses members (403) and keys without the scope, and keeps organizations apart', async () => {
    const member = await addUser(t, 'member');
    const asMember = await call('GET', 'scan-progress', { key: member.key });
    expect(asMember.status).toBe(403);
    const readOnly = await keyWithScopes(t, ['integration:read']);
    const denied = await call('POST', 'scan-org', { key: readOnly });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe("API key missing required scope 'integration:write'");
    expect((await call('GET', 'scan-results', { key: readOnly })).status).toBe(200);
    const other = await addOrganization(t, 'Isolated org');
    const theirs = await call('GET', 'scan-results', { org: other.organizationId });
    expect(theirs.status).toBe(404);
    expect((await call('GET', 'scan-status', { org: other.organizationId })).body.lastScanId).toBeNull();
    expect((await call('POST', 'scan-cache/invalidate', { org: other.organizationId })).body).toEqual({ invalidated: true, installations: 0 });
    const stranger = await addUser(t, 'owner', other.organizationId);
    expect((await call('GET', 'scan-results', { key: stranger.key, org: t.organizationId })).status).toBe(404);
  });
});
