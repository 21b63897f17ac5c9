import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeAccount, FakeBranchProtection, FakeRepo, FakeRule } from './fakes/github/fake-github.model';
import { sarifValidator } from './support/sarif';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization } from './support/identity';

/** Every optional permission: nothing is left unread, so a finding's absence means the check passed. */
const ALL = {
  contents: 'read',
  metadata: 'read',
  administration: 'read',
  vulnerability_alerts: 'read',
  members: 'read',
  secret_scanning_alerts: 'read',
  organization_administration: 'read',
  repository_hooks: 'read',
} as const;
const FILES = { 'SECURITY.md': '# s', CODEOWNERS: '* @x/core' };
const PROTECTED: FakeBranchProtection = { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] };
const SHA = '8e5e7e5ab8b370d6c329ec480221332ada57f0ab';
/** A ruleset that alone satisfies the default baseline (reviews, checks, no force pushes, no deletion). */
const GUARD_RULES: FakeRule[] = [
  { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
  { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'ci' }] } },
  { type: 'non_fast_forward' },
  { type: 'deletion' },
];

const workflow = (text: string) => ({ ...FILES, '.github/workflows/ci.yml': text });

/**
 * Issue 20 item 4: each check a security team expects, with one repository (or organization) built to trip it and
 * one built not to, and its baseline switch turning it off.
 */
describe('GitHub org scan checks: organization settings, Actions defaults, rulesets, release branches, secret scanning coverage, webhooks, deploy keys, workflows', () => {
  let fake: FakeGithub;
  let t: TestHub;
  const hubOrg: Record<string, string> = {};

  const call = (method: string, path: string, org: string, body?: unknown) => http(t.url, method, `/api/integrations/github/${path}`, { key: t.key, headers: { 'x-organization-id': org }, body });
  const scanToEnd = async (org: string) => {
    const started = await call('POST', 'scan-org', org);
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const p = await call('GET', 'scan-progress', org);
      return p.body.scanId === started.body.scanId && ['completed', 'failed', 'cancelled'].includes(p.body.status) ? p.body : null;
    }, 30_000);
  };
  /** Subject (repository name, or the organization's login) → `check:severity` of its findings. */
  const findings = async (org: string) => {
    const res = await call('GET', 'scan-results?per_page=500', org);
    expect(res.status).toBe(200);
    const out: Record<string, string[]> = {};
    for (const r of res.body.results as Array<{ repo: string; check: string; severity: string }>) (out[r.repo.split('/')[1] ?? r.repo] ??= []).push(`${r.check}:${r.severity}`);
    return out;
  };
  const snapshots = async (scanId: string) => {
    const rows = await t.db.query('SELECT repo, snapshot FROM github_scan_results WHERE scan_id = $1', [scanId]);
    return Object.fromEntries(rows.rows.map((r: { repo: string; snapshot: Record<string, unknown> }) => [r.repo.split('/')[1] ?? r.repo, r.snapshot]));
  };
  const connect = async (name: string, account: FakeAccount, repos: FakeRepo[]) => {
    const org = await addOrganization(t, name);
    const inst = fake.model.addInstallation(account, repos, { permissions: { ...ALL } });
    await connectInstallation(t, inst.id, account.login, org.organizationId);
    hubOrg[account.login] = org.organizationId;
  };

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 1 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS: '0', SCAN_MAX_REQUESTS_PER_SECOND: '100' } });
    const m = fake.model;

    // A well-run organization (the fake's secure settings, three owners) whose repositories each trip one check,
    // beside a twin that does not.
    const good = m.addAccount('checks-good');
    good.owners = ['o1', 'o2', 'o3'];
    const repo = (name: string, fields: Partial<FakeRepo> = {}) => m.addRepo(good, { name, admins: ['alice'], files: FILES, defaultBranchProtection: { ...PROTECTED }, ...fields });
    const hook = (id: number, url: string, secret: boolean, insecureSsl = false) => ({ id, url, secret, insecureSsl });
    const goodRepos = [
      repo('bypass', { defaultBranchProtection: null, rulesets: [m.ruleset({ name: 'main-guard', bypassActors: 2, rules: GUARD_RULES })] }),
      repo('no-bypass', { defaultBranchProtection: null, rulesets: [m.ruleset({ name: 'main-guard', bypassActors: 0, rules: GUARD_RULES })] }),
      repo('release-open', { branches: ['release/1.0', 'feature-release-notes'] }),
      repo('release-guarded', { branches: ['release/1.0', 'releases/2.0'], branchRules: { 'release/1.0': { ...PROTECTED } }, rulesets: [m.ruleset({ name: 'releases', include: ['refs/heads/releases/**'], rules: [{ type: 'deletion' }] })] }),
      repo('deploy-write', { deployKeys: [{ title: 'ci-push', readOnly: false }, { title: 'mirror', readOnly: true }] }),
      repo('deploy-read', { deployKeys: [{ title: 'mirror', readOnly: true }] }),
      repo('no-secret-scanning', { secretScanning: { enabled: false, pushProtection: false } }),
      repo('no-push-protection', { secretScanning: { enabled: true, pushProtection: false } }),
      repo('hooks-insecure', { hooks: [hook(11, 'http://ci.example.com/hook', true), hook(12, 'https://chat.example.com/x?token=abc', false), hook(13, 'https://old.example.com/h', true, true)] }),
      repo('hooks-secure', { hooks: [hook(21, 'https://ci.example.com/hook', true)] }),
      repo('prt-checkout', {
        files: workflow(`on: pull_request_target
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA}
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make test
`),
      }),
      repo('prt-safe', {
        files: workflow(`on:
  pull_request_target:
    types: [labeled]
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA}
      - run: echo "labelled PR \${{ github.event.pull_request.number }}"
`),
      }),
      repo('injection', {
        files: workflow(`on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "New issue \${{ github.event.issue.title }}"
`),
      }),
      repo('no-injection', {
        files: workflow(`on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - env:
          TITLE: \${{ github.event.issue.title }}
        run: echo "New issue $TITLE"
`),
      }),
      repo('unpinned', {
        files: workflow(`on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: some-org/deploy-action@main
      - uses: ./.github/actions/local
`),
      }),
      repo('pinned', {
        files: workflow(`on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA}
      - uses: docker://alpine@sha256:${'a'.repeat(64)}
      - uses: ./.github/actions/local
`),
      }),
    ];
    await connect('Checks good', good, goodRepos);

    // Protection details the default baseline does not ask for (switched on for this organization).
    const strict = m.addAccount('checks-strict');
    strict.owners = ['o1', 'o2', 'o3'];
    const strictRepos = [
      m.addRepo(strict, { name: 'rule-strict', admins: ['alice'], files: FILES, defaultBranchProtection: { ...PROTECTED, requireConversationResolution: true, requireLastPushApproval: true, restrictPushes: true } }),
      m.addRepo(strict, {
        name: 'ruleset-strict',
        admins: ['alice'],
        files: FILES,
        rulesets: [
          m.ruleset({
            name: 'main-guard',
            rules: [{ type: 'pull_request', parameters: { required_approving_review_count: 1, require_last_push_approval: true, required_review_thread_resolution: true } }, { type: 'update' }, ...GUARD_RULES.slice(1)],
          }),
        ],
      }),
      m.addRepo(strict, { name: 'loose', admins: ['alice'], files: FILES, defaultBranchProtection: { ...PROTECTED } }),
    ];
    await connect('Checks strict', strict, strictRepos);

    // An organization with every setting the checks object to.
    const lax = m.addAccount('checks-lax');
    lax.owners = ['solo'];
    lax.settings = { twoFactorRequired: false, defaultRepositoryPermission: 'write', membersCanCreatePublicRepositories: true, membersCanForkPrivateRepositories: true };
    lax.actions = { enabledRepositories: 'all', allowedActions: 'all', defaultWorkflowPermissions: 'write', canApprovePullRequestReviews: true };
    await connect('Checks lax', lax, [m.addRepo(lax, { name: 'fine', admins: ['alice'], files: FILES, defaultBranchProtection: { ...PROTECTED } })]);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('flags each repository check on the repository built to trip it and not on its twin, at a bounded cost', async () => {
    const org = hubOrg['checks-good'];
    const before = { graphql: fake.stats.byRoute['POST /graphql'] ?? 0, hooks: fake.stats.byRoute['GET /repos/:owner/:repo/hooks'] ?? 0 };
    const done = await scanToEnd(org);
    expect(done).toMatchObject({ status: 'completed', reposScanned: 16 });
    // Everything but webhooks comes with the one GraphQL page; webhooks are one REST request per repository.
    expect((fake.stats.byRoute['POST /graphql'] ?? 0) - before.graphql).toBe(1);
    expect((fake.stats.byRoute['GET /repos/:owner/:repo/hooks'] ?? 0) - before.hooks).toBe(16);
    expect(done.githubCost).toMatchObject({ graphqlRequests: 1, restPerRepository: 16 });
    expect(done.githubCost.graphqlPoints).toBeGreaterThan(0);

    expect(await findings(org)).toEqual({
      bypass: ['ruleset_bypass:medium'],
      'release-open': ['release_branch_protection:high'],
      'deploy-write': ['deploy_key_write:medium'],
      'no-secret-scanning': ['secret_scanning_disabled:high'],
      'no-push-protection': ['push_protection_disabled:medium'],
      'hooks-insecure': ['insecure_webhook:low'],
      'prt-checkout': ['dangerous_workflow:critical'],
      injection: ['script_injection:critical'],
      unpinned: ['unpinned_actions:medium'],
    });
    const results = (await call('GET', 'scan-results?per_page=500', org)).body.results as Array<{ repo: string; message: string }>;
    const message = (repo: string) => results.find((r) => r.repo === `checks-good/${repo}`)?.message;
    expect(message('bypass')).toBe("Rulesets on the default branch may be bypassed: 'main-guard' (2 bypass actors)");
    expect(message('release-open')).toBe('Release branches are not protected: release/1.0');
    expect(message('deploy-write')).toBe('Deploy keys may push: ci-push');
    expect(message('hooks-insecure')).toBe('Webhooks send insecurely: 11 http://ci.example.com/hook: plain HTTP; 12 https://chat.example.com/x: no secret; 13 https://old.example.com/h: TLS verification off');
    expect(message('prt-checkout')).toBe('pull_request_target/workflow_run workflows check out the untrusted head: ci.yml: test');
    expect(message('injection')).toBe('Workflows interpolate untrusted github.event data into scripts: ci.yml: greet: github.event.issue.title');
    expect(message('unpinned')).toBe('Actions not pinned by a full commit SHA: ci.yml: actions/checkout@v4, ci.yml: some-org/deploy-action@main');

    const s = await snapshots(done.scanId);
    expect(s['checks-good']).toMatchObject({ kind: 'organization', twoFactorRequired: true, owners: ['o1', 'o2', 'o3'], reasons: [] });
    expect(s.bypass).toMatchObject({ rulesets: [{ name: 'main-guard', enforcement: 'active', bypassActors: 2 }], reasons: [] });
    expect(s['release-guarded']).toMatchObject({ unprotectedReleaseBranches: [] });
    expect(s['no-push-protection']).toMatchObject({ secretScanning: true, pushProtection: false });
    expect(s['hooks-secure']).toMatchObject({ insecureWebhooks: [] });
    expect(s.pinned).toMatchObject({ workflows: { files: 1, untrustedCheckouts: [], scriptInjections: [], unpinnedActions: [], unreadable: [] } });
    expect(s['prt-safe']).toMatchObject({ workflows: { files: 1, untrustedCheckouts: [], scriptInjections: [] } });

    // SARIF carries a rule, with its description, for each new check.
    const log = JSON.parse((await call('GET', 'scan-results?format=sarif', org)).text);
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const rules = Object.fromEntries(log.runs[0].tool.driver.rules.map((r: { id: string; shortDescription: { text: string } }) => [r.id, r.shortDescription.text]));
    expect(rules).toMatchObject({ dangerous_workflow: expect.stringContaining('pull_request_target'), insecure_webhook: expect.stringContaining('secret'), ruleset_bypass: expect.any(String) });
    for (const [id, text] of Object.entries(rules)) expect(text).not.toBe(id);
    const help = Object.fromEntries(log.runs[0].tool.driver.rules.map((r: { id: string; help: { text: string } }) => [r.id, r.help.text]));
    expect(help).toMatchObject({ dangerous_workflow: 'Follows Scorecard Dangerous-Workflow (untrusted checkout).', insecure_webhook: expect.stringContaining('legitify') });

    // An unchanged rescan asks again, conditionally: every webhook list answers 304.
    const again = await scanToEnd(org);
    expect(again.githubCost).toMatchObject({ restCalls: 0, restPerRepository: 16 });

    // Each check's baseline switch turns it off.
    const put = await call('PUT', 'scan-baseline', org, {
      forbidRulesetBypass: false,
      requireReleaseBranchProtection: false,
      forbidWriteDeployKeys: false,
      requireSecretScanning: false,
      requirePushProtection: false,
      forbidInsecureWebhooks: false,
      forbidDangerousWorkflows: false,
      requirePinnedActions: false,
    });
    expect(put.status).toBe(200);
    const off = await scanToEnd(org);
    expect(await findings(org)).toEqual({});
    // With the webhook check off, no repository's webhooks are read.
    expect(off.githubCost).toMatchObject({ restPerRepository: 0 });
  });

  it('checks conversation resolution, last-push approval and push restrictions (branch rules and rulesets) when the baseline asks', async () => {
    const org = hubOrg['checks-strict'];
    await scanToEnd(org);
    expect(await findings(org)).toEqual({});
    const put = await call('PUT', 'scan-baseline', org, { requireConversationResolution: true, requireLastPushApproval: true, requirePushRestrictions: true });
    expect(put.body).toMatchObject({ requireConversationResolution: true, requireLastPushApproval: true, requirePushRestrictions: true, forbidRulesetBypass: true });
    await scanToEnd(org);
    expect(await findings(org)).toEqual({ loose: ['conversation_resolution:low', 'last_push_approval:medium', 'push_restrictions:medium'] });
  });

  it('flags the organization settings and Actions defaults of a lax organization, not of a well-run one, each with its switch', async () => {
    const org = hubOrg['checks-lax'];
    const done = await scanToEnd(org);
    expect(done.status).toBe('completed');
    expect(await findings(org)).toEqual({
      'checks-lax': [
        'actions_approve_pull_requests:high',
        'allowed_actions:medium',
        'base_permission:high',
        'private_forking:low',
        'public_repository_creation:medium',
        'too_few_owners:low',
        'two_factor_required:high',
        'workflow_token_write:medium',
      ],
    });
    const s = await snapshots(done.scanId);
    expect(s['checks-lax']).toEqual({
      kind: 'organization',
      id: expect.any(Number),
      fullName: 'checks-lax',
      twoFactorRequired: false,
      basePermission: 'write',
      membersCanCreatePublicRepositories: true,
      membersCanForkPrivateRepositories: true,
      owners: ['solo'],
      actions: { enabledRepositories: 'all', allowedActions: 'all', defaultWorkflowPermissions: 'write', canApprovePullRequestReviews: true },
      status: 'ok',
      reasons: [],
    });
    expect(s['checks-lax'].id).toBeLessThan(0);
    // The well-run organization has none of these (scanned here too, so this holds in any test order).
    await scanToEnd(hubOrg['checks-good']);
    expect((await findings(hubOrg['checks-good']))['checks-good']).toBeUndefined();

    // A setting made safe on GitHub shows in drift; a worse one carries a severity.
    const lax = [...fake.model.accounts.values()].find((a) => a.login === 'checks-lax')!;
    lax.settings = { ...lax.settings!, twoFactorRequired: true };
    lax.actions = { ...lax.actions!, defaultWorkflowPermissions: 'read' };
    lax.owners = ['a', 'b', 'c', 'd'];
    await scanToEnd(org);
    // Four owners: too many for legitify's rule (at most three), no longer too few.
    const after = (await findings(org))['checks-lax'];
    expect(after).toContain('too_many_owners:medium');
    expect(after).not.toContain('too_few_owners:low');
    expect(after).not.toContain('two_factor_required:high');
    const drift = await call('GET', 'scan-drift', org);
    expect(drift.body.repos).toEqual([
      expect.objectContaining({
        repo: 'checks-lax',
        kind: 'changed',
        changes: [
          { field: 'actions.defaultWorkflowPermissions', before: 'write', after: 'read' },
          { field: 'owners', before: ['solo'], after: ['a', 'b', 'c', 'd'], severity: 'medium' },
          { field: 'twoFactorRequired', before: false, after: true },
        ],
      }),
    ]);

    // An organization finding is acknowledged like a repository's, by the organization's login.
    const ack = await call('POST', 'scan-exemptions', org, { repo: 'checks-lax', check: 'base_permission', reason: 'Monorepo migration until SEC-9', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(ack.status).toBe(201);
    expect((await call('GET', 'scan-results?repo=checks-lax&check=base_permission', org)).body.results).toEqual([expect.objectContaining({ suppression: expect.objectContaining({ kind: 'acknowledgement' }) })]);

    const put = await call('PUT', 'scan-baseline', org, {
      requireTwoFactor: false,
      maxBasePermission: 'admin',
      forbidMemberPublicRepositories: false,
      forbidPrivateForking: false,
      minOwners: 0,
      maxOwners: 0,
      requireReadOnlyWorkflowToken: false,
      forbidActionsApprovingPullRequests: false,
      restrictAllowedActions: false,
    });
    expect(put.status).toBe(200);
    expect((await call('PUT', 'scan-baseline', org, { maxBasePermission: 'owner' })).status).toBe(400);
    await scanToEnd(org);
    expect(await findings(org)).toEqual({});
  });

  it('reads at most SCAN_WEBHOOK_REPOS_MAX repositories\' webhooks per scan; those beyond are partial, with the reason', async () => {
    const capped = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', SCAN_MAX_REQUESTS_PER_SECOND: '100', SCAN_WEBHOOK_REPOS_MAX: '1' } });
    try {
      const m = fake.model;
      const acct = m.addAccount('checks-capped');
      acct.owners = ['o1', 'o2', 'o3'];
      const mk = (name: string) => m.addRepo(acct, { name, admins: ['a'], files: FILES, defaultBranchProtection: { ...PROTECTED }, hooks: [{ id: 1, url: 'http://x.example.com/', secret: false }] });
      const inst = m.addInstallation(acct, [mk('first'), mk('second')], { permissions: { ...ALL } });
      const org = await addOrganization(capped, 'Checks capped');
      await connectInstallation(capped, inst.id, 'checks-capped', org.organizationId);
      const before = fake.stats.byRoute['GET /repos/:owner/:repo/hooks'] ?? 0;
      const go = (method: string, path: string) => http(capped.url, method, `/api/integrations/github/${path}`, { key: capped.key, headers: { 'x-organization-id': org.organizationId } });
      const started = await go('POST', 'scan-org');
      const done = await waitFor(async () => {
        const p = await go('GET', 'scan-progress');
        return p.body.scanId === started.body.scanId && p.body.status === 'completed' ? p.body : null;
      }, 30_000);
      expect(done.githubCost).toMatchObject({ restPerRepository: 1 });
      expect((fake.stats.byRoute['GET /repos/:owner/:repo/hooks'] ?? 0) - before).toBe(1);
      const results = (await go('GET', 'scan-results?per_page=100')).body.results as Array<{ repo: string; check: string; message: string }>;
      expect(results.map((r) => `${r.repo} ${r.check}`)).toEqual(['checks-capped/first insecure_webhook', 'checks-capped/second data_unavailable']);
      expect(results[1].message).toBe("Some data could not be read: webhooks: not read (at most 1 repositories' webhooks are read per scan: SCAN_WEBHOOK_REPOS_MAX)");
    } finally {
      await capped.close();
    }
  });

  it('reads a page GitHub timed out on again at half the size, and keeps that size for the rest of the organization', async () => {
    const m = fake.model;
    const acct = m.addAccount('checks-big');
    acct.owners = ['o1', 'o2', 'o3'];
    const org = await addOrganization(t, 'Checks big');
    const inst = m.addInstallation(acct, m.addRepos(acct, 120), { permissions: { ...ALL } });
    await connectInstallation(t, inst.id, 'checks-big', org.organizationId);
    const before = fake.stats.byRoute['POST /graphql'] ?? 0;
    fake.graphqlTimeout(1);
    const done = await scanToEnd(org.organizationId);
    expect(done).toMatchObject({ status: 'completed', reposScanned: 120, reposTotal: 120 });
    // The timed-out query, then pages of 50: 50, 50, 20.
    expect((fake.stats.byRoute['POST /graphql'] ?? 0) - before).toBe(4);
    expect(done.githubCost).toMatchObject({ graphqlRequests: 4 });
  });

  it('without organization_administration the organization row says what it could not read', async () => {
    const m = fake.model;
    const acct = m.addAccount('checks-narrow');
    acct.owners = ['o1', 'o2', 'o3'];
    const org = await addOrganization(t, 'Checks narrow');
    const inst = m.addInstallation(acct, [m.addRepo(acct, { name: 'app', admins: ['a'], files: FILES, defaultBranchProtection: { ...PROTECTED } })], { permissions: { ...ALL, organization_administration: undefined as unknown as 'read' } });
    delete (inst.permissions as Record<string, string>).organization_administration;
    await connectInstallation(t, inst.id, 'checks-narrow', org.organizationId);
    const before = fake.stats.byRoute['GET /orgs/:org'] ?? 0;
    await scanToEnd(org.organizationId);
    expect(fake.stats.byRoute['GET /orgs/:org'] ?? 0).toBe(before);
    expect(await findings(org.organizationId)).toEqual({ 'checks-narrow': ['data_unavailable:info'] });
  });
});
