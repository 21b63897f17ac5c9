import { createHash } from 'node:crypto';
import { ScanCheck } from './scan-findings';
import { FindingSeverity } from './scan.enums';

/** One finding as the exports render it (a row of `scan-results`). */
export interface ExportedFinding {
  repo: string;
  check: string;
  severity: FindingSeverity;
  message: string;
  repoStatus: string;
  /** Why the finding is accepted (acknowledged, or its repository exempt) until when; absent: open. */
  suppression?: { kind: 'acknowledgement' | 'exemption'; reason: string; expiresAt: string | null };
}

export interface ExportContext {
  scanId: string;
  completedAt: string;
  /** Base URL of the GitHub web UI (repositories become `<webUrl>/<owner>/<name>`). */
  webUrl: string;
  toolVersion: string;
}

/** What each check is about, for SARIF rule descriptions. */
const RULES: Record<ScanCheck, string> = {
  [ScanCheck.DataUnavailable]: 'Some of the repository could not be read',
  [ScanCheck.Archived]: 'The repository is archived (configuration checks skipped)',
  [ScanCheck.BranchProtection]: 'The default branch must be protected',
  [ScanCheck.RequiredReviews]: 'The default branch must require approving reviews',
  [ScanCheck.CodeOwnerReviews]: 'The default branch must require code owner reviews',
  [ScanCheck.DismissStaleReviews]: 'New pushes must dismiss stale reviews',
  [ScanCheck.StatusChecks]: 'The default branch must require status checks',
  [ScanCheck.StrictStatusChecks]: 'Branches must be up to date before merging',
  [ScanCheck.EnforceAdmins]: 'Protection must apply to administrators',
  [ScanCheck.ForcePushes]: 'Force pushes to the default branch must be blocked',
  [ScanCheck.Deletions]: 'The default branch must not be deletable',
  [ScanCheck.LinearHistory]: 'The default branch must require linear history',
  [ScanCheck.SignedCommits]: 'The default branch must require signed commits',
  [ScanCheck.SecurityPolicy]: 'A security policy (SECURITY.md) must exist',
  [ScanCheck.Codeowners]: 'A CODEOWNERS file must exist',
  [ScanCheck.Admins]: 'Administrators must stay within the baseline',
  [ScanCheck.NoAdmins]: 'Someone (a user or a team) must administer the repository',
  [ScanCheck.OutsideCollaborators]: 'Outside collaborators are not allowed',
  [ScanCheck.OutsideCollaboratorWrite]: 'Outside collaborators must not have write or admin permission',
  [ScanCheck.StaleRepository]: 'A repository must be maintained (pushed to) or archived',
  [ScanCheck.VulnerabilityAlerts]: 'Open Dependabot alerts must stay within the baseline',
  [ScanCheck.DependabotAlertsDisabled]: 'Dependabot alerts must be enabled',
  [ScanCheck.SecretScanningAlerts]: 'Open secret scanning alerts must stay within the baseline',
  [ScanCheck.RulesetBypass]: 'Rulesets on the default branch must not be bypassable',
  [ScanCheck.ConversationResolution]: 'The default branch must require conversations to be resolved',
  [ScanCheck.LastPushApproval]: 'The most recent push must be approved by someone other than its author',
  [ScanCheck.PushRestrictions]: 'The default branch must restrict who may push',
  [ScanCheck.ReleaseBranchProtection]: 'Release branches must be protected',
  [ScanCheck.DeployKeyWrite]: 'Deploy keys must be read-only',
  [ScanCheck.SecretScanningDisabled]: 'Secret scanning must be enabled',
  [ScanCheck.PushProtectionDisabled]: 'Secret scanning push protection must be enabled',
  [ScanCheck.InsecureWebhook]: 'Webhooks must use a secret, HTTPS and TLS verification',
  [ScanCheck.DangerousWorkflow]: 'pull_request_target/workflow_run workflows must not check out the untrusted head',
  [ScanCheck.ScriptInjection]: 'Workflows must not interpolate untrusted github.event data into scripts',
  [ScanCheck.UnpinnedActions]: 'Actions must be pinned by a full commit SHA',
  [ScanCheck.TwoFactorRequired]: 'The organization must require two-factor authentication',
  [ScanCheck.BasePermission]: "Members' base permission must stay within the baseline",
  [ScanCheck.PublicRepositoryCreation]: 'Members must not create public repositories',
  [ScanCheck.PrivateForking]: 'Members must not fork private repositories',
  [ScanCheck.TooManyOwners]: 'The organization must not have more owners than the baseline allows',
  [ScanCheck.TooFewOwners]: 'The organization must have at least as many owners as the baseline asks',
  [ScanCheck.WorkflowTokenWrite]: "Workflows' GITHUB_TOKEN must be read-only by default",
  [ScanCheck.ActionsApprovePullRequests]: 'GitHub Actions must not create or approve pull requests',
  [ScanCheck.AllowedActions]: 'Only selected or local actions may run',
};

/** The peer rule each check follows (as the README's table names it), for SARIF rules' help. */
const PEERS: Record<ScanCheck, string> = {
  [ScanCheck.DataUnavailable]: 'the hub (not a peer rule)',
  [ScanCheck.Archived]: 'the hub (not a peer rule)',
  [ScanCheck.BranchProtection]: 'Scorecard Branch-Protection; Allstar branch protection',
  [ScanCheck.RequiredReviews]: 'Scorecard Branch-Protection; Allstar branch protection (requireApproval)',
  [ScanCheck.CodeOwnerReviews]: 'Scorecard Branch-Protection; Allstar branch protection',
  [ScanCheck.DismissStaleReviews]: 'Scorecard Branch-Protection; Allstar branch protection (dismissStale)',
  [ScanCheck.StatusChecks]: 'Scorecard Branch-Protection; Allstar branch protection (requireStatusChecks)',
  [ScanCheck.StrictStatusChecks]: 'Scorecard Branch-Protection; Allstar branch protection (requireUpToDateBranch)',
  [ScanCheck.EnforceAdmins]: 'Scorecard Branch-Protection; Allstar branch protection (enforceOnAdmins)',
  [ScanCheck.ForcePushes]: 'Scorecard Branch-Protection; Allstar branch protection (blockForce)',
  [ScanCheck.Deletions]: 'Scorecard Branch-Protection',
  [ScanCheck.LinearHistory]: 'legitify "Default Branch Doesn\'t Require Linear History"',
  [ScanCheck.SignedCommits]: 'legitify "Default Branch Doesn\'t Require All Commits To Be Signed"',
  [ScanCheck.SecurityPolicy]: 'Scorecard Security-Policy',
  [ScanCheck.Codeowners]: 'legitify "repository should have CODEOWNERS"',
  [ScanCheck.Admins]: 'Allstar Repository Administrators',
  [ScanCheck.NoAdmins]: 'Allstar Repository Administrators',
  [ScanCheck.OutsideCollaborators]: 'Allstar Outside Collaborators',
  [ScanCheck.OutsideCollaboratorWrite]: 'Allstar Outside Collaborators',
  [ScanCheck.StaleRepository]: 'Scorecard Maintained',
  [ScanCheck.VulnerabilityAlerts]: 'Scorecard Vulnerabilities',
  [ScanCheck.DependabotAlertsDisabled]: 'legitify "Vulnerability Alerts Is Not Enabled"',
  [ScanCheck.SecretScanningAlerts]: 'legitify secret scanning policies',
  [ScanCheck.RulesetBypass]: 'Scorecard Branch-Protection; Allstar branch protection (enforceOnAdmins)',
  [ScanCheck.ConversationResolution]: 'legitify "Default Branch Doesn\'t Require All Conversations To Be Resolved Before Merge"',
  [ScanCheck.LastPushApproval]: 'Scorecard Branch-Protection (last push approval)',
  [ScanCheck.PushRestrictions]: 'legitify "Default Branch Allows Pushes to Protected Branch"',
  [ScanCheck.ReleaseBranchProtection]: 'Scorecard Branch-Protection (release branches)',
  [ScanCheck.DeployKeyWrite]: "GitHub's guidance (read-only deploy keys); no Scorecard, Allstar or legitify rule",
  [ScanCheck.SecretScanningDisabled]: "GitHub's recommended code security configuration; no Scorecard, Allstar or legitify rule",
  [ScanCheck.PushProtectionDisabled]: "GitHub's recommended code security configuration; no Scorecard, Allstar or legitify rule",
  [ScanCheck.InsecureWebhook]: 'legitify "Webhook Configured Without A Secret" and "Webhook Configured Without SSL"',
  [ScanCheck.DangerousWorkflow]: 'Scorecard Dangerous-Workflow (untrusted checkout)',
  [ScanCheck.ScriptInjection]: 'Scorecard Dangerous-Workflow (script injection)',
  [ScanCheck.UnpinnedActions]: 'Scorecard Pinned-Dependencies',
  [ScanCheck.TwoFactorRequired]: 'legitify "Two-Factor Authentication Is Not Enforced For The Organization"',
  [ScanCheck.BasePermission]: 'legitify "Permissive Default Member Permissions Exist For New Repositories"',
  [ScanCheck.PublicRepositoryCreation]: 'legitify "Non-Admins Can Create Public Repositories"',
  [ScanCheck.PrivateForking]: 'legitify "Forking Allowed for This Repository" (the organization\'s setting)',
  [ScanCheck.TooManyOwners]: 'legitify "Organization Should Have Fewer Than Three Owners"',
  [ScanCheck.TooFewOwners]: "GitHub's advice of at least two owners; no Scorecard, Allstar or legitify rule",
  [ScanCheck.WorkflowTokenWrite]: 'legitify "Default Workflow Token Permission Should Be Read Only"',
  [ScanCheck.ActionsApprovePullRequests]: 'legitify "Workflows Should Not Be Allowed To Approve Pull Requests"',
  [ScanCheck.AllowedActions]: 'legitify "GitHub Actions Should Be Limited To Verified or Explicitly Trusted Actions"',
};

/** SARIF levels, and GitHub code scanning's `security-severity` scores (0-10), by finding severity. */
const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<FindingSeverity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** A stable identity of a finding across scans (repository and check; the message carries counts that change). */
const fingerprint = (f: ExportedFinding) => createHash('sha256').update(`${f.repo}\u0000${f.check}`).digest('hex');

/** The findings as one SARIF 2.1.0 log (one run), each located at its repository; accepted ones carry a suppression. */
export function toSarif(findings: ExportedFinding[], ctx: ExportContext): Record<string, unknown> {
  const checks = [...new Set(findings.map((f) => f.check))].sort();
  const ruleIndex = new Map(checks.map((c, i) => [c, i]));
  const worst = (check: string) => findings.filter((f) => f.check === check).map((f) => Number(SECURITY_SEVERITY[f.severity])).reduce((a, b) => Math.max(a, b), 0);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'integrations-hub-org-scan',
            version: ctx.toolVersion,
            rules: checks.map((check) => ({
              id: check,
              name: check,
              shortDescription: { text: RULES[check as ScanCheck] ?? check },
              ...(PEERS[check as ScanCheck] ? { help: { text: `Follows ${PEERS[check as ScanCheck]}.` } } : {}),
              properties: { 'security-severity': worst(check).toFixed(1), tags: ['security', 'github-configuration'] },
            })),
          },
        },
        automationDetails: { id: `github-org-scan/${ctx.scanId}` },
        invocations: [{ executionSuccessful: true, endTimeUtc: ctx.completedAt }],
        results: findings.map((f) => ({
          ruleId: f.check,
          ruleIndex: ruleIndex.get(f.check),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: `${ctx.webUrl}/${f.repo}` } },
              logicalLocations: [{ fullyQualifiedName: f.repo, kind: 'module' }],
            },
          ],
          partialFingerprints: { 'repositoryCheck/v1': fingerprint(f) },
          properties: { severity: f.severity, 'security-severity': SECURITY_SEVERITY[f.severity], repoStatus: f.repoStatus },
          ...(f.suppression ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.suppression.kind}: ${f.suppression.reason}` }] } : {}),
        })),
      },
    ],
  };
}

/** A CSV cell (RFC 4180), with formula-looking text defused so spreadsheets show it instead of evaluating it. */
function cell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(findings: ExportedFinding[]): string {
  const rows = [['repo', 'check', 'severity', 'message', 'repo_status', 'suppression', 'suppression_reason', 'suppression_expires_at']];
  for (const f of findings) rows.push([f.repo, f.check, f.severity, f.message, f.repoStatus, f.suppression?.kind ?? '', f.suppression?.reason ?? '', f.suppression?.expiresAt ?? '']);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
