import type { RepoSnapshot } from './repo-snapshot';
import { repoDrift, scanDrift, ScannedRepo } from './scan-drift';
import { FindingSeverity, RepoResultStatus } from './scan.enums';
import { ScanCheck } from './scan-findings';

const snap = (id: number, over: Partial<RepoSnapshot> = {}): RepoSnapshot => ({
  id,
  fullName: `acme/r${id}`,
  visibility: 'private',
  archived: false,
  fork: false,
  defaultBranch: 'main',
  protection: false,
  rulesets: [],
  admins: ['b', 'a'],
  adminTeams: [],
  outsideCollaborators: 0,
  outsideCollaboratorsWithWrite: [],
  pushedAt: '2026-04-01T00:00:00Z',
  hasSecurityPolicy: true,
  hasCodeowners: true,
  vulnerabilityAlertsEnabled: true,
  openVulnerabilityAlerts: 0,
  openVulnerabilityAlertsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  openSecretScanningAlerts: null,
  deployKeysWithWrite: [],
  unprotectedReleaseBranches: [],
  workflows: null,
  secretScanning: null,
  pushProtection: null,
  insecureWebhooks: null,
  status: RepoResultStatus.Ok,
  reasons: [],
  ...over,
});
const unprotected = { check: ScanCheck.BranchProtection, severity: FindingSeverity.High, message: 'not protected' };
const scanned = (s: RepoSnapshot, findings = [unprotected]): ScannedRepo => ({ snapshot: s, findings });

describe('scan drift', () => {
  it('reports nothing for an unchanged repository (array order and bookkeeping ignored)', () => {
    expect(repoDrift(scanned(snap(1)), scanned(snap(1, { admins: ['a', 'b'], reasons: ['x'], status: RepoResultStatus.Partial })))).toBeNull();
  });

  it('lists changed fields and findings added or resolved', () => {
    const after = snap(1, { visibility: 'public', protection: { requiredReviews: true, requiredReviewCount: 1 } as RepoSnapshot['protection'] });
    const d = repoDrift(scanned(snap(1)), scanned(after, []));
    expect(d).toEqual({
      repo: 'acme/r1',
      kind: 'changed',
      changes: [
        { field: 'protection', before: false, after: { requiredReviews: true, requiredReviewCount: 1 } },
        { field: 'visibility', before: 'private', after: 'public', severity: 'high' },
      ],
      findingsAdded: [],
      findingsResolved: [unprotected],
    });
  });

  it('reports added and removed repositories, ordered by name', () => {
    const drift = scanDrift([scanned(snap(2)), scanned(snap(1))], [scanned(snap(1)), scanned(snap(3))]);
    expect(drift.map((d) => `${d.repo}:${d.kind}`)).toEqual(['acme/r2:removed', 'acme/r3:added']);
  });

  it('reports admin team, ruleset and secret scanning changes', () => {
    const before = snap(1, { adminTeams: ['core'] });
    const after = snap(1, { adminTeams: ['platform', 'core'], rulesets: [{ name: 'main', enforcement: 'active', source: 'organization', bypassActors: 0 }], openSecretScanningAlerts: 1 });
    expect(repoDrift(scanned(before), scanned(after))?.changes).toEqual([
      { field: 'adminTeams', before: ['core'], after: ['core', 'platform'], severity: 'medium' },
      { field: 'openSecretScanningAlerts', before: null, after: 1, severity: 'critical' },
      { field: 'rulesets', before: [], after: [{ name: 'main', enforcement: 'active', source: 'organization', bypassActors: 0 }] },
    ]);
  });

  it('reports removed protection as one high-severity change, not field by field', () => {
    const protection = { requiredReviews: true, requiredReviewCount: 2, allowForcePushes: false } as RepoSnapshot['protection'];
    const d = repoDrift(scanned(snap(1, { protection }), []), scanned(snap(1)));
    expect(d?.changes).toEqual([{ field: 'protection', before: protection, after: false, severity: 'high' }]);
    expect(d?.findingsAdded).toEqual([unprotected]);
  });

  it('does not report fields an older version of the scan did not record as changes', () => {
    const protection = { requiredReviews: true, requiredReviewCount: 1, allowForcePushes: false } as RepoSnapshot['protection'];
    const old = snap(1, { protection }) as unknown as Record<string, unknown>;
    delete old.deployKeysWithWrite;
    delete old.workflows;
    const now = snap(1, { protection: { ...(protection as object), conversationResolution: false } as RepoSnapshot['protection'], deployKeysWithWrite: ['k'], workflows: { files: 1, untrustedCheckouts: [], scriptInjections: [], unpinnedActions: [], unreadable: [] } });
    expect(repoDrift(scanned(old as unknown as RepoSnapshot), scanned(now))).toBeNull();
    // Recorded by both, a change is a change.
    expect(repoDrift(scanned(snap(1, { deployKeysWithWrite: [] })), scanned(snap(1, { deployKeysWithWrite: ['k'] })))?.changes).toEqual([{ field: 'deployKeysWithWrite', before: [], after: ['k'], severity: 'medium' }]);
  });

  it('reports a rename as a rename (matched by repository id), with the old name', () => {
    const d = repoDrift(scanned(snap(1)), scanned(snap(1, { fullName: 'acme/renamed' })));
    expect(d).toEqual({ repo: 'acme/renamed', kind: 'renamed', renamedFrom: 'acme/r1', changes: [], findingsAdded: [], findingsResolved: [] });
  });

  it('gives a severity to a new admin and to weakened settings, none to harmless changes', () => {
    const before = snap(1, { archived: false, admins: ['a'], protection: { requiredReviews: true, requiredReviewCount: 2, allowForcePushes: false } as RepoSnapshot['protection'] });
    const after = snap(1, { archived: true, admins: ['a', 'mallory'], protection: { requiredReviews: true, requiredReviewCount: 1, allowForcePushes: true } as RepoSnapshot['protection'] });
    expect(repoDrift(scanned(before), scanned(after))?.changes).toEqual([
      { field: 'admins', before: ['a'], after: ['a', 'mallory'], severity: 'medium' },
      { field: 'archived', before: false, after: true },
      { field: 'protection.allowForcePushes', before: false, after: true, severity: 'high' },
      { field: 'protection.requiredReviewCount', before: 2, after: 1, severity: 'medium' },
    ]);
  });
});
