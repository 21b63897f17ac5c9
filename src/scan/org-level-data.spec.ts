import type { RepoSnapshot } from './repo-snapshot';
import { adminTeamsByRepo, OrgLevelData, openAlertsByRepo, withOrgLevelData } from './org-level-data';
import { RepoResultStatus } from './scan.enums';

const repo = (id: number): RepoSnapshot => ({
  id,
  fullName: `acme/r${id}`,
  visibility: 'private',
  archived: false,
  fork: false,
  defaultBranch: 'main',
  protection: false,
  rulesets: [],
  admins: [],
  adminTeams: null,
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
});

describe('organization-level data', () => {
  it('maps teams with admin permission to repositories, and counts alerts per repository', () => {
    expect(
      adminTeamsByRepo([
        { slug: 'platform', repos: [{ id: 1, admin: true }, { id: 2, admin: false }] },
        { slug: 'core', repos: [{ id: 1, admin: true }] },
      ]),
    ).toEqual({ '1': ['core', 'platform'] });
    expect(openAlertsByRepo([1, 2, 1])).toEqual({ '1': 2, '2': 1 });
  });

  it('completes a snapshot: no entry means none, not visible means null with the reason', () => {
    const visible: OrgLevelData = { adminTeams: { '1': ['core'] }, adminTeamsReason: null, secretScanningAlerts: { '1': 3 }, secretScanningReason: null, securityAnalysis: null, securityAnalysisReason: null, org: null };
    expect(withOrgLevelData(repo(1), visible)).toMatchObject({ adminTeams: ['core'], openSecretScanningAlerts: 3, status: 'ok', reasons: [] });
    expect(withOrgLevelData(repo(2), visible)).toMatchObject({ adminTeams: [], openSecretScanningAlerts: 0, status: 'ok' });
    const hidden: OrgLevelData = { adminTeams: {}, adminTeamsReason: null, secretScanningAlerts: null, secretScanningReason: 'secret scanning: the installation lacks secret_scanning_alerts:read', securityAnalysis: null, securityAnalysisReason: null, org: null };
    expect(withOrgLevelData(repo(1), hidden)).toMatchObject({
      adminTeams: [],
      openSecretScanningAlerts: null,
      status: 'partial',
      reasons: ['secret scanning: the installation lacks secret_scanning_alerts:read'],
    });
  });
});
