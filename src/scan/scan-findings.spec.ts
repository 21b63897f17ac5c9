import type { BranchProtectionSnapshot, RepoSnapshot } from './repo-snapshot';
import { DEFAULT_BASELINE } from './scan-baseline';
import { findingsFor } from './scan-findings';
import { RepoResultStatus } from './scan.enums';

const AS_OF = new Date('2026-04-30T00:00:00Z');

const repo = (over: Partial<RepoSnapshot> = {}): RepoSnapshot => ({
  id: 1,
  fullName: 'acme/api',
  visibility: 'private',
  archived: false,
  fork: false,
  defaultBranch: 'main',
  protection: {
    requiredReviews: true,
    requiredReviewCount: 1,
    codeOwnerReviews: false,
    dismissStaleReviews: false,
    requiredStatusChecks: ['ci'],
    strictStatusChecks: false,
    enforceAdmins: false,
    allowForcePushes: false,
    allowDeletions: false,
    linearHistory: false,
    signedCommits: false,
    conversationResolution: false,
    lastPushApproval: false,
    pushRestrictions: false,
    sources: ['branch_protection_rule'],
  },
  rulesets: [],
  admins: ['a'],
  adminTeams: [],
  outsideCollaborators: 0,
  outsideCollaboratorsWithWrite: [],
  pushedAt: '2026-04-01T00:00:00Z',
  hasSecurityPolicy: true,
  hasCodeowners: true,
  vulnerabilityAlertsEnabled: true,
  openVulnerabilityAlerts: 0,
  openVulnerabilityAlertsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  openSecretScanningAlerts: 0,
  deployKeysWithWrite: [],
  unprotectedReleaseBranches: [],
  workflows: null,
  secretScanning: true,
  pushProtection: true,
  insecureWebhooks: [],
  status: RepoResultStatus.Ok,
  reasons: [],
  ...over,
});

const checks = (r: RepoSnapshot, b = DEFAULT_BASELINE) => findingsFor(r, b, AS_OF).map((f) => `${f.check}:${f.severity}`);

describe('findingsFor', () => {
  it('finds nothing for a repository that meets the default baseline', () => {
    expect(checks(repo())).toEqual([]);
  });

  it('flags an unprotected default branch and missing files', () => {
    expect(checks(repo({ protection: false, hasSecurityPolicy: false, hasCodeowners: false }))).toEqual(['branch_protection:high', 'security_policy:low', 'codeowners:low']);
  });

  it('only records archived repositories', () => {
    expect(checks(repo({ archived: true, protection: false }))).toEqual(['archived:info']);
    expect(checks(repo({ archived: true, protection: false }), { ...DEFAULT_BASELINE, skipArchived: false })).toEqual(['branch_protection:high']);
  });

  it('compares each protection setting with the baseline', () => {
    const base = repo().protection as BranchProtectionSnapshot;
    const weak = repo({ protection: { ...base, requiredReviewCount: 0, requiredReviews: false, requiredStatusChecks: [], allowForcePushes: true, allowDeletions: true } });
    expect(checks(weak)).toEqual(['required_reviews:medium', 'status_checks:medium', 'force_pushes:high', 'branch_deletion:high']);
    const strict = { ...DEFAULT_BASELINE, requireEnforceAdmins: true, requireSignedCommits: true, requireLinearHistory: true, minApprovingReviews: 2 };
    expect(checks(repo(), strict)).toEqual(['required_reviews:medium', 'enforce_admins:medium', 'linear_history:low', 'signed_commits:low']);
  });

  it('never invents findings from unknown data, but says what could not be read', () => {
    const unknown = repo({ protection: null, hasSecurityPolicy: null, hasCodeowners: null, admins: null, openVulnerabilityAlerts: null, reasons: ['files: denied'], status: RepoResultStatus.Partial });
    expect(findingsFor(unknown, DEFAULT_BASELINE, AS_OF)).toEqual([{ check: 'data_unavailable', severity: 'info', message: 'Some data could not be read: files: denied' }]);
  });

  it('counts admins, outside collaborators and open alerts against the baseline', () => {
    const b = { ...DEFAULT_BASELINE, maxAdmins: 1, allowOutsideCollaborators: false };
    expect(checks(repo({ admins: ['a', 'b'], outsideCollaborators: 2, openVulnerabilityAlerts: 4 }), b)).toEqual(['admins:low', 'outside_collaborators:medium', 'vulnerability_alerts:high']);
  });

  it('flags a repository nobody administers, but only when both users and teams were read', () => {
    expect(checks(repo({ admins: [], adminTeams: [] }))).toEqual(['no_admins:medium']);
    expect(checks(repo({ admins: [], adminTeams: ['platform'] }))).toEqual([]);
    expect(checks(repo({ admins: [], adminTeams: null }))).toEqual([]);
    expect(checks(repo({ admins: [], adminTeams: [] }), { ...DEFAULT_BASELINE, requireAdmin: false })).toEqual([]);
  });

  it('flags open secret scanning alerts where visible', () => {
    expect(findingsFor(repo({ openSecretScanningAlerts: 2 }), DEFAULT_BASELINE, AS_OF)).toEqual([{ check: 'secret_scanning_alerts', severity: 'critical', message: '2 open secret scanning alerts; baseline allows 0' }]);
    expect(checks(repo({ openSecretScanningAlerts: null }))).toEqual([]);
    expect(checks(repo({ openSecretScanningAlerts: 2 }), { ...DEFAULT_BASELINE, maxOpenSecretScanningAlerts: 5 })).toEqual([]);
  });

  it('flags disabled Dependabot alerts unless the baseline allows it', () => {
    expect(checks(repo({ vulnerabilityAlertsEnabled: false, openVulnerabilityAlerts: 0 }))).toEqual(['dependabot_alerts_disabled:medium']);
    expect(checks(repo({ vulnerabilityAlertsEnabled: false }), { ...DEFAULT_BASELINE, requireDependabotAlerts: false })).toEqual([]);
  });

  it("gives open Dependabot alerts the severity of the worst one, and counts them by severity", () => {
    const low = repo({ openVulnerabilityAlerts: 2, openVulnerabilityAlertsBySeverity: { critical: 0, high: 0, medium: 1, low: 1 } });
    expect(findingsFor(low, DEFAULT_BASELINE, AS_OF)).toEqual([{ check: 'vulnerability_alerts', severity: 'medium', message: '2 open vulnerability alerts (1 medium, 1 low); baseline allows 0' }]);
    const critical = repo({ openVulnerabilityAlerts: 3, openVulnerabilityAlertsBySeverity: { critical: 1, high: 2, medium: 0, low: 0 } });
    expect(checks(critical)).toEqual(['vulnerability_alerts:critical']);
    expect(checks(repo({ openVulnerabilityAlerts: 1, openVulnerabilityAlertsBySeverity: null }))).toEqual(['vulnerability_alerts:high']);
  });

  it('flags outside collaborators who may push (high when one is an admin), unless the baseline allows it', () => {
    expect(findingsFor(repo({ outsideCollaborators: 2, outsideCollaboratorsWithWrite: ['eve:write'] }), DEFAULT_BASELINE, AS_OF)).toEqual([
      { check: 'outside_collaborator_write', severity: 'medium', message: 'Outside collaborators may push: eve:write' },
    ]);
    expect(checks(repo({ outsideCollaboratorsWithWrite: ['eve:write', 'mal:admin'] }))).toEqual(['outside_collaborator_write:high']);
    expect(checks(repo({ outsideCollaborators: 1, outsideCollaboratorsWithWrite: [] }))).toEqual([]);
    expect(checks(repo({ outsideCollaboratorsWithWrite: ['eve:write'] }), { ...DEFAULT_BASELINE, forbidOutsideCollaboratorWrite: false })).toEqual([]);
  });

  it('flags a repository not pushed to for longer than the baseline allows, as of the scan', () => {
    expect(checks(repo({ pushedAt: '2025-04-01T00:00:00Z' }))).toEqual(['stale_repository:low']);
    expect(checks(repo({ pushedAt: '2025-05-01T00:00:00Z' }))).toEqual([]);
    expect(checks(repo({ pushedAt: '2020-01-01T00:00:00Z' }), { ...DEFAULT_BASELINE, staleAfterDays: 0 })).toEqual([]);
    expect(checks(repo({ pushedAt: null }))).toEqual([]);
  });
});
