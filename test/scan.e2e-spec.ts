import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeAccount, FakeInstallation } from './fakes/github/fake-github.model';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser, keyWithScopes } from './support/identity';
import { sarifValidator } from './support/sarif';

const FULL = { contents: 'read', metadata: 'read', administration: 'read', vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read', organization_administration: 'read' } as const;

describe('GitHub org scan (workspace face)', () => {
  let fake: FakeGithub;
  let t: TestHub;
  /** Each test's own organization and its hand-built installation (`login` on the fake). */
  let org: string;
  let login: string;
  let orgs = 0;

  /** An organization on the fake with hand-built repositories whose findings we know. */
  function handBuiltOrg(login: string): FakeInstallation {
    const account: FakeAccount = fake.model.addAccount(login);
    // Three owners and the fake's secure organization settings: the organization's own row has no finding.
    account.owners = ['owner-1', 'owner-2', 'owner-3'];
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
    http(t.url, method, `/api/integrations/github/${path}`, { key: opts.key ?? t.key, headers: orgHeaders(opts.org ?? org), body: opts.body });
  const scanToEnd = async (scanned = org) => {
    const started = await call('POST', 'scan-org', { org: scanned });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const p = await call('GET', 'scan-progress', { org: scanned });
      return p.body.scanId === started.body.scanId && ['completed', 'failed', 'cancelled'].includes(p.body.status) ? p.body : null;
    }, 30_000);
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0', SCAN_MAX_REQUESTS_PER_SECOND: '50', SCAN_WATCHDOG_INTERVAL_MS: '200' } });
  });
  // Scans, baselines, drift and exemptions belong to an organization: every test scans its own, whatever ran before.
  beforeEach(async () => {
    const created = await addOrganization(t, `Scanned org ${++orgs}`);
    org = created.organizationId;
    login = `hand-org-${orgs}`;
    await connectInstallation(t, handBuiltOrg(login).id, login, org);
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
    // The scan counts the GraphQL requests it made itself; the fake is shared with other tests' scans (scheduled
    // ones may run at any time in a random order), so it can only confirm at least that many arrived.
    expect(done.githubCost).toMatchObject({ graphqlRequests: 1 });
    expect((fake.stats.byRoute['POST /graphql'] ?? 0) - graphqlBefore).toBeGreaterThanOrEqual(1);
    const res = await call('GET', 'scan-results?per_page=100');
    expect(res.status).toBe(200);
    const by = (repo: string) => res.body.results.filter((r: { repo: string }) => r.repo === `${login}/${repo}`).map((r: { check: string; severity: string }) => `${r.check}:${r.severity}`);
    expect(by('protected')).toEqual([]);
    expect(by('unprotected')).toEqual(['branch_protection:high', 'codeowners:low', 'outside_collaborator_write:medium']);
    expect(by('archived')).toEqual(['archived:info']);
    expect(by('weak').sort()).toEqual(['force_pushes:high', 'no_admins:medium', 'required_reviews:medium', 'security_policy:low', 'status_checks:medium', 'vulnerability_alerts:high']);
    expect(res.body).toMatchObject({ total: 10, page: 1, per_page: 100, scanId: done.scanId });
    const filtered = await call('GET', 'scan-results?severity=high&repo=weak');
    expect(filtered.body.results).toEqual([
      { repo: `${login}/weak`, check: 'force_pushes', severity: 'high', message: "Default branch 'main' allows force pushes", repoStatus: 'ok' },
      { repo: `${login}/weak`, check: 'vulnerability_alerts', severity: 'high', message: '3 open vulnerability alerts (3 high); baseline allows 0', repoStatus: 'ok' },
    ]);
    const rows = await t.db.query('SELECT repo, snapshot FROM github_scan_results WHERE scan_id = $1 ORDER BY repo', [done.scanId]);
    expect(rows.rows.map((r: { repo: string }) => r.repo)).toEqual([login, `${login}/archived`, `${login}/protected`, `${login}/unprotected`, `${login}/weak`]);
    expect(rows.rows[0].snapshot).toMatchObject({ kind: 'organization', fullName: login, twoFactorRequired: true, basePermission: 'read', owners: ['owner-1', 'owner-2', 'owner-3'], actions: { defaultWorkflowPermissions: 'read' }, reasons: [] });
    rows.rows.shift();
    expect(rows.rows[1].snapshot).toMatchObject({ visibility: 'private', protection: { requiredReviewCount: 2, codeOwnerReviews: true, enforceAdmins: true, requiredStatusChecks: ['ci', 'lint'] }, admins: ['alice'], hasSecurityPolicy: true, hasCodeowners: true });
    expect(rows.rows[2].snapshot).toMatchObject({ visibility: 'public', protection: false, admins: ['alice', 'bob'], outsideCollaborators: 1 });
    const status = await call('GET', 'scan-status');
    expect(status.body).toEqual({ lastCompletedAt: done.finishedAt, lastScanId: done.scanId, status: 'completed' });
  });

  it('rescans read the page afresh (no invalidation needed): drift shows a change made on GitHub', async () => {
    await scanToEnd();
    const before = fake.stats.byRoute['POST /graphql'] ?? 0;
    fake.updateRepo(`${login}/unprotected`, { defaultBranchProtection: { requiredReviews: 1, requireStatusChecks: ['ci'] } });
    const second = await scanToEnd();
    expect(fake.stats.byRoute['POST /graphql']).toBe(before + 1);
    const drift = await call('GET', 'scan-drift');
    expect(drift.status).toBe(200);
    expect(drift.body).toMatchObject({ toScanId: second.scanId, added: 0, removed: 0, changed: 1 });
    expect(drift.body.repos).toEqual([
      expect.objectContaining({
        repo: `${login}/unprotected`,
        kind: 'changed',
        findingsResolved: [{ check: 'branch_protection', severity: 'high', message: "Default branch 'main' is not protected" }],
        findingsAdded: [],
        changes: [{ field: 'protection', before: false, after: expect.objectContaining({ requiredReviewCount: 1, requiredStatusChecks: ['ci'] }) }],
      }),
    ]);
    const invalidated = await call('POST', 'scan-cache/invalidate');
    expect(invalidated.body).toEqual({ invalidated: true, installations: 1 });
  });

  it('applies an edited baseline from the next scan', async () => {
    expect((await call('GET', 'scan-baseline')).body).toMatchObject({ isDefault: true, minApprovingReviews: 1, requireCodeowners: true });
    const put = await call('PUT', 'scan-baseline', { body: { minApprovingReviews: 2, requireCodeowners: false } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ isDefault: false, minApprovingReviews: 2, requireCodeowners: false, requireSecurityPolicy: true });
    expect((await call('PUT', 'scan-baseline', { body: { minApprovingReviews: 'two' } })).status).toBe(400);
    expect((await call('PUT', 'scan-baseline', { body: { nope: true } })).status).toBe(400);
    // One review on `unprotected`: enough for the default baseline, not for this one.
    fake.updateRepo(`${login}/unprotected`, { defaultBranchProtection: { requiredReviews: 1, requireStatusChecks: ['ci'] } });
    await scanToEnd();
    const res = await call('GET', 'scan-results?check=required_reviews');
    expect(res.body.results.map((r: { repo: string }) => r.repo)).toEqual([`${login}/unprotected`, `${login}/weak`]);
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
    // 3 pages, and organization-wide: the team list, secret scanning alerts, 3 pages of repositories (secret scanning
    // coverage), the organization, its two Actions settings and its owners.
    expect(scan.rows[0].github_requests).toBe(12);
    // Every repository once (and the organization's own row, id < 0).
    const n = await t.db.query('SELECT count(*)::int AS n, count(DISTINCT repository_id)::int AS d FROM github_scan_results WHERE scan_id = $1 AND repository_id > 0', [done.scanId]);
    expect(n.rows[0]).toEqual({ n: 250, d: 250 });
  });

  it('refuses members (403) and keys without the scope, and keeps organizations apart', async () => {
    const member = await addUser(t, 'member', org);
    const asMember = await call('GET', 'scan-progress', { key: member.key });
    expect(asMember.status).toBe(403);
    const readOnly = await keyWithScopes(t, ['integration:read']);
    const denied = await call('POST', 'scan-org', { key: readOnly });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe("API key missing required scope 'integration:write'");
    expect((await call('GET', 'scan-status', { key: readOnly })).status).toBe(200);
    const other = await addOrganization(t, 'Isolated org');
    const theirs = await call('GET', 'scan-results', { org: other.organizationId });
    expect(theirs.status).toBe(404);
    expect((await call('GET', 'scan-status', { org: other.organizationId })).body.lastScanId).toBeNull();
    expect((await call('POST', 'scan-cache/invalidate', { org: other.organizationId })).body).toEqual({ invalidated: true, installations: 0 });
    const stranger = await addUser(t, 'owner', other.organizationId);
    expect((await call('GET', 'scan-results', { key: stranger.key, org })).status).toBe(404);
  });

  it('exports the findings as SARIF 2.1.0 (valid against the OASIS schema) and CSV, and lists every repository in the inventory', async () => {
    await scanToEnd();
    const json = await call('GET', 'scan-results?per_page=500');
    const sarif = await call('GET', 'scan-results?format=sarif');
    expect(sarif.status).toBe(200);
    expect(sarif.headers.get('content-type')).toMatch(/^application\/sarif\+json/);
    const validate = sarifValidator();
    const log = JSON.parse(sarif.text);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const run = log.runs[0];
    expect(run.results).toHaveLength(json.body.total);
    expect(run.automationDetails).toEqual({ id: `github-org-scan/${json.body.scanId}` });
    const force = run.results.find((r: { ruleId: string }) => r.ruleId === 'force_pushes');
    expect(force).toMatchObject({ level: 'error', message: { text: "Default branch 'main' allows force pushes" }, locations: [{ physicalLocation: { artifactLocation: { uri: `${fake.url}/${login}/weak` } }, logicalLocations: [{ fullyQualifiedName: `${login}/weak` }] }] });
    expect(run.tool.driver.rules[force.ruleIndex]).toMatchObject({ id: 'force_pushes', properties: { 'security-severity': '8.0' } });
    // Broken on purpose, the same log fails the schema: the validator is not a rubber stamp.
    expect(validate({ ...log, runs: [{ ...run, results: [{ ...force, level: 'fatal' }] }] })).toBe(false);

    const byAccept = await http(t.url, 'GET', '/api/integrations/github/scan-results?severity=high', { key: t.key, headers: { ...orgHeaders(org), accept: 'application/sarif+json' } });
    expect(JSON.parse(byAccept.text).runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['branch_protection', 'force_pushes', 'vulnerability_alerts']);

    const csv = await call('GET', 'scan-results?format=csv&repo=weak');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('repo,check,severity,message,repo_status,suppression,suppression_reason,suppression_expires_at');
    expect(lines).toContain(`${login}/weak,force_pushes,high,Default branch 'main' allows force pushes,ok,,,`);
    expect(lines).toHaveLength(1 + json.body.results.filter((r: { repo: string }) => r.repo === `${login}/weak`).length);
    expect((await call('GET', 'scan-results?format=xml')).status).toBe(400);

    const inventory = await call('GET', 'scan-inventory?per_page=2');
    expect(inventory.status).toBe(200);
    // Every repository, and the organization's own row (its settings) first.
    expect(inventory.body).toMatchObject({ scanId: json.body.scanId, total: 5, page: 1, per_page: 2 });
    expect(inventory.body.repos.map((r: { repo: string }) => r.repo)).toEqual([login, `${login}/archived`]);
    expect(inventory.body.repos[0]).toMatchObject({ findings: 0, snapshot: { kind: 'organization' } });
    const page2 = await call('GET', 'scan-inventory?per_page=2&page=2');
    // The repository with no finding is in the inventory too, with its snapshot.
    expect(page2.body.repos[0]).toMatchObject({ repo: `${login}/protected`, findings: 0, status: 'ok', snapshot: { visibility: 'private', admins: ['alice'], hasSecurityPolicy: true } });
  });

  it('accepts findings through acknowledgements (a check) and exemptions (a repository) with a reason and an expiry, audited', async () => {
    await scanToEnd();
    const in30days = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const ack = await call('POST', 'scan-exemptions', { body: { repo: `${login}/weak`, check: 'force_pushes', reason: 'Release tooling needs it until SEC-12', expiresAt: in30days } });
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({ kind: 'acknowledgement', repo: `${login}/weak`, check: 'force_pushes', active: true, createdBy: t.userId });
    const exempt = await call('POST', 'scan-exemptions', { body: { repo: `${login}/unprotected`, reason: 'Public mirror, read-only', expiresAt: in30days } });
    expect(exempt.body).toMatchObject({ kind: 'exemption', check: null });

    const all = (await call('GET', 'scan-results?per_page=500')).body.results as Array<{ repo: string; check: string; suppression?: { kind: string; reason: string } }>;
    expect(all.find((r) => r.repo === `${login}/weak` && r.check === 'force_pushes')?.suppression).toEqual({ kind: 'acknowledgement', reason: 'Release tooling needs it until SEC-12', expiresAt: in30days });
    expect(all.find((r) => r.repo === `${login}/weak` && r.check === 'status_checks')?.suppression).toBeUndefined();
    expect(all.filter((r) => r.repo === `${login}/unprotected`).every((r) => r.suppression?.kind === 'exemption')).toBe(true);
    const open = (await call('GET', 'scan-results?per_page=500&suppressed=exclude')).body;
    expect(open.results.some((r: { repo: string; check: string }) => r.repo === `${login}/unprotected` || r.check === 'force_pushes')).toBe(false);
    expect(open.total).toBe(all.length - 1 - all.filter((r) => r.repo === `${login}/unprotected`).length);
    const sarif = JSON.parse((await call('GET', 'scan-results?format=sarif&repo=weak')).text);
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'force_pushes').suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'acknowledgement: Release tooling needs it until SEC-12' }]);

    // Expired, the finding is open again.
    await t.db.query(`UPDATE github_scan_exemptions SET expires_at = now() - interval '1 minute' WHERE id = $1`, [ack.body.id]);
    const again = (await call('GET', 'scan-results?repo=weak&check=force_pushes')).body.results;
    expect(again).toEqual([expect.not.objectContaining({ suppression: expect.anything() })]);
    expect((await call('GET', 'scan-exemptions')).body.exemptions.find((e: { id: string }) => e.id === ack.body.id)).toMatchObject({ active: false });

    for (const body of [
      { repo: `${login}/weak`, reason: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() },
      { repo: `${login}/weak`, reason: 'too far', expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
      // A bare login names an organization (its own findings); more than owner/name names nothing.
      { repo: `${login}/weak/extra`, reason: 'not a repository', expiresAt: in30days },
      { repo: `${login}/weak`, check: 'nope', reason: 'unknown check', expiresAt: in30days },
      { repo: `${login}/weak`, reason: 'no expiry' },
    ]) {
      expect((await call('POST', 'scan-exemptions', { body })).status).toBe(400);
    }
    const audit = await http(t.url, 'GET', `/api/organizations/${org}/audit-log?action=scan_acknowledgement.create`, { key: t.key });
    expect(audit.body.results).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'scan_acknowledgement.create', target: `scan_acknowledgement:${ack.body.id}` })]));

    const other = await addOrganization(t, 'Exemption stranger');
    expect((await call('DELETE', `scan-exemptions/${exempt.body.id}`, { org: other.organizationId })).status).toBe(404);
    expect((await call('DELETE', 'scan-exemptions/not-a-uuid')).status).toBe(404);
    expect((await call('DELETE', `scan-exemptions/${exempt.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `scan-exemptions/${exempt.body.id}`)).status).toBe(404);
    const deleted = await http(t.url, 'GET', `/api/organizations/${org}/audit-log?action=scan_exemption.delete`, { key: t.key });
    expect(deleted.body.results).toEqual([expect.objectContaining({ action: 'scan_exemption.delete', target: `scan_exemption:${exempt.body.id}` })]);
    await call('DELETE', `scan-exemptions/${ack.body.id}`);
  });

  it("reports the scan's cost in GitHub's terms, read from GitHub's answers: points per query and the remaining budget", async () => {
    const first = await scanToEnd();
    const second = await scanToEnd();
    const [a, b] = [first.githubCost, second.githubCost];
    // One GraphQL page; the team list, secret scanning alerts, repository list, organization, Actions settings (2) and
    // owners answer 304 on the second scan.
    expect(b).toMatchObject({ graphqlRequests: 1, restCalls: 0, restNotModified: 7, restPerRepository: 0 });
    expect(b.graphqlPoints).toBeGreaterThan(1);
    // The points GitHub reported for the query are what its rate-limit headers took from the budget (same token).
    expect(a.remaining.graphql - b.remaining.graphql).toBe(b.graphqlPoints);
    expect(b.remaining.core).toBe(a.remaining.core);
  });

  it('runs scheduled scans when due (cron, UTC), once per due time, and refuses what is not a cron expression', async () => {
    const org = await addOrganization(t, 'Scheduled org');
    const acct = fake.model.addAccount('scheduled-org');
    const inst = fake.model.addInstallation(acct, fake.model.addRepos(acct, 2), { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'scheduled-org', org.organizationId);
    const opts = { org: org.organizationId };
    expect((await call('GET', 'scan-schedule', opts)).body).toEqual({ cron: null, nextRunAt: null, lastRunAt: null, lastScanId: null });
    for (const cron of ['every day', '61 * * * *', '0 0 31 2 *']) {
      const bad = await call('PUT', 'scan-schedule', { ...opts, body: { cron } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'INVALID_CRON' });
    }
    const put = await call('PUT', 'scan-schedule', { ...opts, body: { cron: '0  3 * * 1-5' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ cron: '0 3 * * 1-5', lastRunAt: null });
    const next = new Date(put.body.nextRunAt);
    expect(next.getUTCHours()).toBe(3);
    expect(next.getUTCMinutes()).toBe(0);
    expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());
    expect(next.getTime()).toBeGreaterThan(Date.now());

    // Due now: a worker starts it within its watch interval; the next run moves to the following due time.
    await t.db.query(`UPDATE github_scan_schedules SET next_run_at = now() - interval '1 second' WHERE organization_id = $1`, [org.organizationId]);
    const ran = await waitFor(async () => {
      const s = (await call('GET', 'scan-schedule', opts)).body;
      return s.lastScanId ? s : null;
    });
    expect(new Date(ran.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    const done = await waitFor(async () => {
      const p = await call('GET', 'scan-progress', opts);
      return p.body.scanId === ran.lastScanId && p.body.status === 'completed' ? p.body : null;
    }, 30_000);
    expect(done).toMatchObject({ reposScanned: 2 });
    const rows = await t.db.query('SELECT count(*)::int AS n, max(created_by::text) AS by FROM github_scans WHERE organization_id = $1', [org.organizationId]);
    expect(rows.rows[0]).toEqual({ n: 1, by: null });

    expect((await call('DELETE', 'scan-schedule', opts)).status).toBe(204);
    expect((await call('GET', 'scan-schedule', opts)).body.cron).toBeNull();
  });
});
