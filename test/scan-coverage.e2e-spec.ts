import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeAccount, FakeInstallation, FakeRepo } from './fakes/github/fake-github.model';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization } from './support/identity';

const FULL = { contents: 'read', metadata: 'read', administration: 'read', vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read' } as const;
const FILES = { 'SECURITY.md': '# s', CODEOWNERS: '* @cov-org/core' };

/** What issue 5 item 2 asks beyond branch protection rules: rulesets, admin teams, secret scanning where visible. */
describe('GitHub org scan coverage: rulesets, admin teams, secret scanning', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let account: FakeAccount;
  const repos: Record<string, FakeRepo> = {};

  const call = (method: string, path: string, org = t.organizationId) => http(t.url, method, `/api/integrations/github/${path}`, { key: t.key, headers: { 'x-organization-id': org } });
  const scanToEnd = async (org = t.organizationId) => {
    const started = await call('POST', 'scan-org', org);
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const p = await call('GET', 'scan-progress', org);
      return p.body.scanId === started.body.scanId && ['completed', 'failed', 'cancelled'].includes(p.body.status) ? p.body : null;
    }, 30_000);
  };
  const findings = async (org = t.organizationId) => {
    const res = await call('GET', 'scan-results?per_page=500', org);
    expect(res.status).toBe(200);
    const out: Record<string, string[]> = {};
    // The organization's own row (its login, no slash) is checked in scan-checks.e2e-spec.ts.
    for (const r of res.body.results as Array<{ repo: string; check: string; severity: string }>) if (r.repo.includes('/')) (out[r.repo.split('/')[1]] ??= []).push(`${r.check}:${r.severity}`);
    return out;
  };
  const snapshots = async (scanId: string) => {
    const rows = await t.db.query('SELECT repo, status, snapshot FROM github_scan_results WHERE scan_id = $1 ORDER BY repo', [scanId]);
    return Object.fromEntries(rows.rows.map((r: { repo: string; status: string; snapshot: Record<string, unknown> }) => [r.repo.split('/')[1], { ...r.snapshot, rowStatus: r.status }]));
  };
  const routeCount = (route: string) => fake.stats.byRoute[route] ?? 0;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 1 }).start();
    const m = fake.model;
    account = m.addAccount('cov-org');
    repos.rulesetOnly = m.addRepo(account, {
      name: 'ruleset-only',
      admins: ['alice'],
      files: FILES,
      rulesets: [
        m.ruleset({
          name: 'org-main',
          source: 'organization',
          rules: [
            { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
            { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'ci' }], strict_required_status_checks_policy: false } },
            { type: 'non_fast_forward' },
            { type: 'deletion' },
          ],
        }),
      ],
    });
    repos.evaluateOnly = m.addRepo(account, { name: 'evaluate-only', admins: ['alice'], files: FILES, rulesets: [m.ruleset({ name: 'trial', enforcement: 'evaluate', rules: [{ type: 'deletion' }] })] });
    repos.teamAdmin = m.addRepo(account, {
      name: 'team-admin',
      admins: [],
      files: FILES,
      defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] },
      rulesets: [m.ruleset({ name: 'release-only', include: ['refs/heads/release/*'], rules: [{ type: 'deletion' }] })],
    });
    repos.orphan = m.addRepo(account, { name: 'orphan', admins: [], files: FILES, defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] } });
    repos.leaky = m.addRepo(account, { name: 'leaky', admins: ['bob'], files: FILES, defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] }, openSecretScanningAlerts: 3 });
    m.addTeam(account, 'platform', [
      [repos.teamAdmin, 'admin'],
      [repos.leaky, 'push'],
    ]);
    m.addTeam(account, 'readers', [[repos.orphan, 'pull']]);
    const installation: FakeInstallation = m.addInstallation(account, Object.values(repos), { permissions: { ...FULL } });
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0', SCAN_MAX_REQUESTS_PER_SECOND: '50' } });
    await connectInstallation(t, installation.id, 'cov-org');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('lists the optional permissions that make admin teams and secret scanning visible', async () => {
    const res = await call('GET', 'scan-permissions');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sufficient: true, optional: { vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read' }, granted: FULL });
  });

  it('counts rulesets as protection, records admin teams and flags open secret scanning alerts, at a cost that grows with teams', async () => {
    const before = { all: fake.stats.requests, graphql: routeCount('POST /graphql') };
    const done = await scanToEnd();
    expect(done).toMatchObject({ status: 'completed', reposScanned: 5, reposTotal: 5 });
    // One GraphQL page + team list + one page per team + one page of alerts + the repository list (secret scanning
    // coverage) + the owners (and the installation token's mint).
    expect(routeCount('POST /graphql') - before.graphql).toBe(1);
    expect(fake.stats.requests - before.all).toBe(8);
    expect((await t.db.query('SELECT github_requests FROM github_scans WHERE id = $1', [done.scanId])).rows[0].github_requests).toBe(7);
    expect(routeCount('GET /orgs/:org/teams')).toBe(1);
    expect(routeCount('GET /orgs/:org/teams/:slug/repos')).toBe(2);
    expect(routeCount('GET /orgs/:org/secret-scanning/alerts')).toBe(1);

    expect(await findings()).toEqual({
      'evaluate-only': ['branch_protection:high'],
      leaky: ['secret_scanning_alerts:critical'],
      orphan: ['no_admins:medium'],
    });
    const leaky = await call('GET', 'scan-results?repo=leaky');
    expect(leaky.body.results).toEqual([{ repo: 'cov-org/leaky', check: 'secret_scanning_alerts', severity: 'critical', message: '3 open secret scanning alerts; baseline allows 0', repoStatus: 'ok' }]);

    const s = await snapshots(done.scanId);
    expect(s['ruleset-only']).toMatchObject({
      rowStatus: 'ok',
      rulesets: [{ name: 'org-main', enforcement: 'active', source: 'organization' }],
      protection: { requiredReviews: true, requiredReviewCount: 1, requiredStatusChecks: ['ci'], allowForcePushes: false, allowDeletions: false, enforceAdmins: true, sources: ['ruleset:org-main'] },
      adminTeams: [],
      openSecretScanningAlerts: 0,
    });
    expect(s['evaluate-only']).toMatchObject({ protection: false, rulesets: [{ name: 'trial', enforcement: 'evaluate', source: 'repository' }] });
    // A ruleset on other branches neither protects the default branch nor is recorded against it.
    expect(s['team-admin']).toMatchObject({ admins: [], adminTeams: ['platform'], rulesets: [], protection: { sources: ['branch_protection_rule'] } });
    expect(s.leaky).toMatchObject({ admins: ['bob'], adminTeams: [], openSecretScanningAlerts: 3, reasons: [] });
    expect(s.orphan).toMatchObject({ admins: [], adminTeams: [] });
  });

  it('rescans an unchanged organization with one page and 304s; a changed one shows a new admin team in drift', async () => {
    const before = { all: fake.stats.requests, notModified: fake.stats.notModified };
    await scanToEnd();
    // GraphQL page, team list, two team pages, alerts, repositories, owners: every REST list unchanged.
    expect(fake.stats.requests - before.all).toBe(7);
    expect(fake.stats.notModified - before.notModified).toBe(6);

    fake.model.addTeam(account, 'rescue', [[repos.orphan, 'admin']]);
    repos.leaky.openSecretScanningAlerts = 0;
    const afterChange = { all: fake.stats.requests, notModified: fake.stats.notModified };
    const third = await scanToEnd();
    // GraphQL page, team list (changed), three team pages (two unchanged: 304), alerts (changed), repositories and
    // owners (unchanged: 304).
    expect(fake.stats.requests - afterChange.all).toBe(8);
    expect(fake.stats.notModified - afterChange.notModified).toBe(4);
    const scan = await t.db.query('SELECT github_requests FROM github_scans WHERE id = $1', [third.scanId]);
    expect(scan.rows[0].github_requests).toBe(8);
    expect(await findings()).toEqual({ 'evaluate-only': ['branch_protection:high'] });
    const drift = await call('GET', 'scan-drift');
    expect(drift.body).toMatchObject({ toScanId: third.scanId, changed: 2 });
    expect(drift.body.repos).toEqual([
      expect.objectContaining({ repo: 'cov-org/leaky', changes: [{ field: 'openSecretScanningAlerts', before: 3, after: 0 }], findingsResolved: [expect.objectContaining({ check: 'secret_scanning_alerts' })] }),
      expect.objectContaining({ repo: 'cov-org/orphan', changes: [{ field: 'adminTeams', before: [], after: ['rescue'], severity: 'medium' }], findingsResolved: [expect.objectContaining({ check: 'no_admins' })] }),
    ]);
  });

  it('completes without secret scanning or members permission: null, with the reason, and no organization-wide requests', async () => {
    const org = await addOrganization(t, 'No secrets');
    const acct = fake.model.addAccount('nosecrets-org');
    const repo = fake.model.addRepo(acct, { name: 'app', admins: ['carol'], files: FILES, openSecretScanningAlerts: 5, defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] } });
    fake.model.addTeam(acct, 'owners', [[repo, 'admin']]);
    const inst = fake.model.addInstallation(acct, [repo], { permissions: { contents: 'read', metadata: 'read', administration: 'read' } });
    await connectInstallation(t, inst.id, 'nosecrets-org', org.organizationId);
    const perms = await call('GET', 'scan-permissions', org.organizationId);
    expect(perms.body).toMatchObject({ sufficient: true, missing: [] });
    const before = { teams: routeCount('GET /orgs/:org/teams'), alerts: routeCount('GET /orgs/:org/secret-scanning/alerts') };
    const done = await scanToEnd(org.organizationId);
    expect(done).toMatchObject({ status: 'completed', reposScanned: 1 });
    expect(routeCount('GET /orgs/:org/teams')).toBe(before.teams);
    expect(routeCount('GET /orgs/:org/secret-scanning/alerts')).toBe(before.alerts);
    const s = await snapshots(done.scanId);
    expect(s.app).toMatchObject({
      rowStatus: 'partial',
      status: 'partial',
      adminTeams: null,
      openSecretScanningAlerts: null,
      reasons: ['admin teams: the installation lacks members:read', 'secret scanning: the installation lacks secret_scanning_alerts:read'],
    });
    const res = await call('GET', 'scan-results', org.organizationId);
    expect(res.body.results).toEqual([
      {
        repo: 'nosecrets-org',
        check: 'data_unavailable',
        severity: 'info',
        message: 'Some data could not be read: organization settings and Actions defaults: the installation lacks organization_administration:read; owners: the installation lacks members:read',
        repoStatus: 'partial',
      },
      {
        repo: 'nosecrets-org/app',
        check: 'data_unavailable',
        severity: 'info',
        message: 'Some data could not be read: admin teams: the installation lacks members:read; secret scanning: the installation lacks secret_scanning_alerts:read',
        repoStatus: 'partial',
      },
    ]);
  });

  it('treats secret scanning that is not enabled (GitHub 404) as not visible', async () => {
    const org = await addOrganization(t, 'Scanning off');
    const acct = fake.model.addAccount('off-org');
    const repo = fake.model.addRepo(acct, { name: 'svc', admins: ['dan'], files: FILES, defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] } });
    fake.model.secretScanningDisabled.add('off-org');
    const inst = fake.model.addInstallation(acct, [repo], { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'off-org', org.organizationId);
    const done = await scanToEnd(org.organizationId);
    expect(done.status).toBe('completed');
    const s = await snapshots(done.scanId);
    expect(s.svc).toMatchObject({ rowStatus: 'partial', adminTeams: [], openSecretScanningAlerts: null, reasons: ['secret scanning: not visible (not enabled, or not available to the installation)'] });
  });

  it('finds SECURITY.md where GitHub does, counts admins as Allstar does, flags disabled Dependabot and rates alerts by severity', async () => {
    const org = await addOrganization(t, 'Policy org');
    const m = fake.model;
    const acct = m.addAccount('policy-org');
    acct.owners = ['boss'];
    const ok = { defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] }, admins: ['alice'], files: { CODEOWNERS: '* @x' } };
    const health = m.addRepo(acct, { ...ok, name: '.github', visibility: 'public', files: { ...ok.files, 'docs/SECURITY.md': '# org policy' } });
    const docs = m.addRepo(acct, { ...ok, name: 'docs-policy', files: { ...ok.files, 'docs/SECURITY.md': '# s' } });
    const inherits = m.addRepo(acct, { ...ok, name: 'inherits' });
    const ownedOnly = m.addRepo(acct, { ...ok, name: 'owned-only', admins: [] });
    const noDependabot = m.addRepo(acct, { ...ok, name: 'no-dependabot', openVulnerabilityAlerts: null });
    const moderate = m.addRepo(acct, { ...ok, name: 'moderate', openVulnerabilityAlerts: 2, vulnerabilitySeverities: ['MODERATE', 'LOW'] });
    const inst = m.addInstallation(acct, [health, docs, inherits, ownedOnly, noDependabot, moderate], { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'policy-org', org.organizationId);
    const done = await scanToEnd(org.organizationId);
    expect(done).toMatchObject({ status: 'completed', reposScanned: 6 });
    expect(await findings(org.organizationId)).toEqual({
      'owned-only': ['no_admins:medium'],
      'no-dependabot': ['dependabot_alerts_disabled:medium'],
      moderate: ['vulnerability_alerts:medium'],
    });
    const s = await snapshots(done.scanId);
    // The organization owner administers every repository, but is not counted as one of its administrators.
    expect(s['owned-only']).toMatchObject({ admins: [], adminTeams: [] });
    expect(s.moderate).toMatchObject({ openVulnerabilityAlerts: 2, openVulnerabilityAlertsBySeverity: { critical: 0, high: 0, medium: 1, low: 1 } });
    expect(s.inherits).toMatchObject({ hasSecurityPolicy: true });

    // A private `.github` repository's policy is not a default (GitHub uses only a public one).
    health.visibility = 'private';
    await scanToEnd(org.organizationId);
    expect((await findings(org.organizationId)).inherits).toEqual(['security_policy:low']);
  });

  it('flags stale repositories (pushedAt, Scorecard Maintained) and outside collaborators who may push (Allstar), each tripped by one repository and not by its twin', async () => {
    const org = await addOrganization(t, 'Checks org');
    const m = fake.model;
    const acct = m.addAccount('checks-org');
    const ok = { defaultBranchProtection: { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] }, admins: ['alice'], files: FILES };
    const twoYearsAgo = new Date(Date.now() - 730 * 86_400_000).toISOString();
    const stale = m.addRepo(acct, { ...ok, name: 'stale', pushedAt: twoYearsAgo });
    const maintained = m.addRepo(acct, { ...ok, name: 'maintained' });
    const contractorAdmin = m.addRepo(acct, { ...ok, name: 'contractor-admin', outsideCollaborators: ['ext'], outsideCollaboratorPermissions: { ext: 'ADMIN' } });
    const contractorRead = m.addRepo(acct, { ...ok, name: 'contractor-read', outsideCollaborators: ['ext'], outsideCollaboratorPermissions: { ext: 'READ' } });
    const inst = m.addInstallation(acct, [stale, maintained, contractorAdmin, contractorRead], { permissions: { ...FULL } });
    await connectInstallation(t, inst.id, 'checks-org', org.organizationId);
    const done = await scanToEnd(org.organizationId);
    expect(done.status).toBe('completed');
    expect(await findings(org.organizationId)).toEqual({ stale: ['stale_repository:low'], 'contractor-admin': ['outside_collaborator_write:high'] });
    const s = await snapshots(done.scanId);
    expect(s['contractor-admin']).toMatchObject({ outsideCollaborators: 1, outsideCollaboratorsWithWrite: ['ext:admin'] });
    expect(s['contractor-read']).toMatchObject({ outsideCollaborators: 1, outsideCollaboratorsWithWrite: [] });
    expect(s.stale).toMatchObject({ pushedAt: twoYearsAgo });

    // The baseline switches them off.
    const put = await http(t.url, 'PUT', '/api/integrations/github/scan-baseline', { key: t.key, headers: { 'x-organization-id': org.organizationId }, body: { staleAfterDays: 0, forbidOutsideCollaboratorWrite: false } });
    expect(put.status).toBe(200);
    await scanToEnd(org.organizationId);
    expect(await findings(org.organizationId)).toEqual({});
  });
});
