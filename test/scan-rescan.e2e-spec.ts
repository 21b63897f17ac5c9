import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeAccount, FakeInstallation, FakeRepo } from './fakes/github/fake-github.model';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

const FULL = { contents: 'read', metadata: 'read', administration: 'read', vulnerability_alerts: 'read', members: 'read', secret_scanning_alerts: 'read' } as const;
const FILES = { 'SECURITY.md': '# s', CODEOWNERS: '* @fresh-org/core' };
const PROTECTED = { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] };

/** A rescan must reflect GitHub at the time it runs (issue 20, item 1): no cached GraphQL page, conditional REST. */
describe('GitHub org rescans see every change made on GitHub', () => {
  let fake: FakeGithub;
  let t: TestHub;
  let account: FakeAccount;
  let installation: FakeInstallation;
  const repos: Record<string, FakeRepo> = {};

  const call = (method: string, path: string) => http(t.url, method, `/api/integrations/github/${path}`, { key: t.key, headers: { 'x-organization-id': t.organizationId } });
  const scanToEnd = async () => {
    const started = await call('POST', 'scan-org');
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const p = await call('GET', 'scan-progress');
      return p.body.scanId === started.body.scanId && ['completed', 'failed', 'cancelled'].includes(p.body.status) ? p.body : null;
    }, 30_000);
  };
  const findings = async () => {
    const res = await call('GET', 'scan-results?per_page=500');
    const out: Record<string, string[]> = {};
    // The organization's own row (its login, no slash) is checked in scan-checks.e2e-spec.ts.
    for (const r of res.body.results as Array<{ repo: string; check: string; severity: string }>) if (r.repo.includes('/')) (out[r.repo.split('/')[1]] ??= []).push(`${r.check}:${r.severity}`);
    return out;
  };
  // `all` leaves out token mints: whether a scan needs a new installation token depends on what ran before (a
  // webhook may have evicted it), not on what the scan reads.
  const stats = () => ({
    graphql: fake.stats.byRoute['POST /graphql'] ?? 0,
    notModified: fake.stats.notModified,
    all: fake.stats.requests - (fake.stats.byRoute['POST /app/installations/:id/access_tokens'] ?? 0),
  });

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 1 }).start();
    const m = fake.model;
    account = m.addAccount('fresh-org');
    const repo = (name: string, fields: Partial<FakeRepo> = {}) => (repos[name] = m.addRepo(account, { name, admins: ['alice'], files: FILES, defaultBranchProtection: { ...PROTECTED }, ...fields }));
    repo('guarded');
    repo('secret');
    repo('team');
    repo('old');
    repo('leak');
    repo('doomed');
    repo('before-name');
    m.addTeam(account, 'core', [[repos.team, 'admin']]);
    installation = m.addInstallation(account, Object.values(repos), { permissions: { ...FULL } });
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0', SCAN_MAX_REQUESTS_PER_SECOND: '50', SCAN_HISTORY_KEEP: '3' } });
    await connectInstallation(t, installation.id, 'fresh-org');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('an ordinary rescan (no invalidation) reports every kind of change, each as drift and as findings', async () => {
    const first = await scanToEnd();
    expect(first).toMatchObject({ status: 'completed', reposScanned: 7 });
    expect(await findings()).toEqual({});

    fake.updateRepo('fresh-org/guarded', { defaultBranchProtection: null });
    fake.updateRepo('fresh-org/secret', { visibility: 'public' });
    fake.updateRepo('fresh-org/team', { admins: ['alice', 'mallory'] });
    fake.updateRepo('fresh-org/old', { archived: true });
    fake.updateRepo('fresh-org/leak', { openSecretScanningAlerts: 2 });
    fake.model.repos.delete(repos.doomed.id);
    fake.updateRepo('fresh-org/before-name', { name: 'after-name' });
    const created = fake.model.addRepo(account, { name: 'newcomer', admins: ['alice'], files: FILES });
    installation.repoIds.push(created.id);

    const before = stats();
    const second = await scanToEnd();
    expect(second).toMatchObject({ status: 'completed', reposScanned: 7 });
    // The page is read again (GraphQL has no conditional requests); the unchanged team list and owners answer 304 (the
    // team's and the organization's repository lists show the edited repositories, the alert list the new alerts).
    expect(stats().graphql - before.graphql).toBe(1);
    expect(stats().notModified - before.notModified).toBe(2);

    const drift = await call('GET', 'scan-drift');
    expect(drift.status).toBe(200);
    expect(drift.body).toMatchObject({ fromScanId: first.scanId, toScanId: second.scanId, added: 1, removed: 1, renamed: 1, changed: 5 });
    const by = Object.fromEntries((drift.body.repos as Array<{ repo: string }>).map((r) => [r.repo.split('/')[1], r]));
    expect(by.guarded).toMatchObject({ kind: 'changed', changes: [{ field: 'protection', after: false, severity: 'high' }], findingsAdded: [{ check: 'branch_protection', severity: 'high' }] });
    expect(by.secret).toMatchObject({ kind: 'changed', changes: [{ field: 'visibility', before: 'private', after: 'public', severity: 'high' }] });
    expect(by.team).toMatchObject({ kind: 'changed', changes: [{ field: 'admins', before: ['alice'], after: ['alice', 'mallory'], severity: 'medium' }] });
    expect(by.old).toMatchObject({ kind: 'changed', changes: [{ field: 'archived', before: false, after: true }], findingsAdded: [{ check: 'archived', severity: 'info' }] });
    expect(by.leak).toMatchObject({ kind: 'changed', changes: [{ field: 'openSecretScanningAlerts', before: 0, after: 2, severity: 'critical' }], findingsAdded: [{ check: 'secret_scanning_alerts', severity: 'critical' }] });
    expect(by.doomed).toMatchObject({ kind: 'removed' });
    expect(by['after-name']).toEqual({ repo: 'fresh-org/after-name', kind: 'renamed', renamedFrom: 'fresh-org/before-name', changes: [], findingsAdded: [], findingsResolved: [] });
    expect(by.newcomer).toMatchObject({ kind: 'added', findingsAdded: [{ check: 'branch_protection', severity: 'high' }] });
    expect(await findings()).toEqual({
      guarded: ['branch_protection:high'],
      leak: ['secret_scanning_alerts:critical'],
      newcomer: ['branch_protection:high'],
      old: ['archived:info'],
    });
  });

  it('an unchanged rescan reads the page again and gets 304s for the organization-wide lists', async () => {
    await scanToEnd();
    const before = stats();
    const done = await scanToEnd();
    // One GraphQL page, the team list, one team's repositories, the alerts, the repositories, the owners: the five REST
    // lists unchanged.
    expect(stats().graphql - before.graphql).toBe(1);
    expect(stats().all - before.all).toBe(6);
    expect(stats().notModified - before.notModified).toBe(5);
    const drift = await call('GET', 'scan-drift');
    expect(drift.body).toMatchObject({ toScanId: done.scanId, added: 0, removed: 0, renamed: 0, changed: 0, repos: [] });
  });

  it.each(['repository', 'branch_protection_rule', 'repository_ruleset', 'member', 'team', 'secret_scanning_alert', 'installation_repositories', 'organization', 'security_and_analysis'])(
    'a %s webhook clears what the scan keeps for the installation: the next reads are unconditional',
    async (event) => {
      const delivery = await fake.sendWebhook(`${t.url}/api/webhooks/github`, event, { action: 'edited', installation: { id: installation.id }, repository: { id: repos.guarded.id }, sender: { id: 1 } });
      expect(delivery.status).toBe(202);
      expect(JSON.parse(delivery.text)).toEqual({ status: 'queued' });
      await waitFor(async () => (await t.db.query('SELECT processed_at FROM github_webhook_deliveries WHERE delivery_id = $1', [delivery.deliveryId])).rows[0]?.processed_at);
      const before = stats();
      await scanToEnd();
      expect(stats().notModified - before.notModified).toBe(0);
      expect(stats().all - before.all).toBe(6);
    },
  );

  it('drift compares with the last completed scan however many scans were cancelled since; history is kept by count and age', async () => {
    await scanToEnd();
    fake.updateRepo('fresh-org/guarded', { defaultBranchProtection: null });
    await scanToEnd();
    const a = (await call('GET', 'scan-status')).body;
    expect(a.status).toBe('completed');
    fake.updateRepo('fresh-org/guarded', { defaultBranchProtection: { ...PROTECTED } });
    for (let i = 0; i < 5; i++) {
      const started = await call('POST', 'scan-org');
      expect(started.status).toBe(202);
      const cancelled = await call('POST', 'scan-cancel');
      expect(cancelled.body).toMatchObject({ scanId: started.body.scanId, status: 'cancelled' });
    }
    const b = await scanToEnd();
    const drift = await call('GET', 'scan-drift');
    expect(drift.body).toMatchObject({ fromScanId: a.lastScanId, toScanId: b.scanId, changed: 1 });
    expect(drift.body.repos).toEqual([expect.objectContaining({ repo: 'fresh-org/guarded', findingsResolved: [expect.objectContaining({ check: 'branch_protection' })] })]);
    const kept = async () => (await t.db.query(`SELECT status, count(*)::int AS n FROM github_scans WHERE organization_id = $1 GROUP BY status ORDER BY status`, [t.organizationId])).rows;
    // SCAN_HISTORY_KEEP=3: three completed, and at most three cancelled counted apart.
    expect(await kept()).toEqual([
      { status: 'cancelled', n: 3 },
      { status: 'completed', n: 3 },
    ]);

    expect((await call('GET', `scan-drift?since=${a.lastScanId}`)).body).toEqual(drift.body);
    const byDate = await call('GET', `scan-drift?since=${encodeURIComponent(a.lastCompletedAt)}`);
    expect(byDate.body).toMatchObject({ fromScanId: a.lastScanId, toScanId: b.scanId, changed: 1 });
    expect((await call('GET', `scan-drift?since=${b.finishedAt}`)).body).toMatchObject({ fromScanId: b.scanId, toScanId: b.scanId, repos: [] });
    expect((await call('GET', 'scan-drift?since=2000-01-01')).body).toMatchObject({ statusCode: 404, code: 'SCAN_NOT_FOUND' });
    expect((await call('GET', 'scan-drift?since=00000000-0000-4000-8000-000000000000')).body).toMatchObject({ statusCode: 404, code: 'SCAN_NOT_FOUND' });
    const bad = await call('GET', 'scan-drift?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_SINCE' });

    // Age: a completed scan older than SCAN_HISTORY_MAX_AGE_DAYS goes at the next completion, the last one stays.
    await t.db.query(`UPDATE github_scans SET finished_at = now() - interval '100 days', created_at = now() - interval '100 days' WHERE id = $1`, [a.lastScanId]);
    const c = await scanToEnd();
    const left = await t.db.query(`SELECT id FROM github_scans WHERE organization_id = $1 AND status = 'completed'`, [t.organizationId]);
    expect(left.rows.map((r: { id: string }) => r.id)).not.toContain(a.lastScanId);
    expect(left.rows.map((r: { id: string }) => r.id)).toContain(c.scanId);
    expect((await call('GET', 'scan-drift')).body).toMatchObject({ fromScanId: b.scanId, toScanId: c.scanId });
  });
});
