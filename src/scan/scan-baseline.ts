import type { BasePermission } from './org-settings';

/** The organization's policy a scan compares each repository with (editable at scan-baseline). */
export interface ScanBaseline {
  requireBranchProtection: boolean;
  minApprovingReviews: number;
  requireCodeOwnerReviews: boolean;
  requireDismissStaleReviews: boolean;
  requireStatusChecks: boolean;
  requireStrictStatusChecks: boolean;
  requireEnforceAdmins: boolean;
  forbidForcePushes: boolean;
  forbidDeletions: boolean;
  requireLinearHistory: boolean;
  requireSignedCommits: boolean;
  requireSecurityPolicy: boolean;
  requireCodeowners: boolean;
  maxAdmins: number;
  /** Someone (a user or a team) must administer each repository. */
  requireAdmin: boolean;
  allowOutsideCollaborators: boolean;
  /** Outside collaborators must not have write, maintain or admin permission (Allstar's outside collaborators policy). */
  forbidOutsideCollaboratorWrite: boolean;
  /** A repository not pushed to for longer is stale (Scorecard's Maintained check); 0 turns the check off. */
  staleAfterDays: number;
  maxOpenVulnerabilityAlerts: number;
  /** Dependabot alerts must be enabled. */
  requireDependabotAlerts: boolean;
  maxOpenSecretScanningAlerts: number;
  /** Archived repositories are read-only: only recorded, not checked. */
  skipArchived: boolean;
  /** Active rulesets on the default branch must have no bypass actors (legitify). */
  forbidRulesetBypass: boolean;
  /** The default branch must require conversation resolution, last-push approval, push restrictions. */
  requireConversationResolution: boolean;
  requireLastPushApproval: boolean;
  requirePushRestrictions: boolean;
  /** Release branches (`release*`) must be protected (Scorecard Branch-Protection). */
  requireReleaseBranchProtection: boolean;
  /** Deploy keys must be read-only (legitify). */
  forbidWriteDeployKeys: boolean;
  /** Secret scanning and its push protection must be enabled (security_and_analysis). */
  requireSecretScanning: boolean;
  requirePushProtection: boolean;
  /** Repository webhooks must use a secret, HTTPS and TLS verification (legitify). */
  forbidInsecureWebhooks: boolean;
  /** Workflows must not check out untrusted code in privileged triggers nor interpolate github.event into scripts (Scorecard Dangerous-Workflow). */
  forbidDangerousWorkflows: boolean;
  /** Third-party actions must be pinned by a full commit SHA (Scorecard Pinned-Dependencies). */
  requirePinnedActions: boolean;
  /** Organization: two-factor authentication must be required. */
  requireTwoFactor: boolean;
  /** Organization: the highest base permission members may have on every repository. */
  maxBasePermission: BasePermission;
  /** Organization: members must not create public repositories, nor fork private ones. */
  forbidMemberPublicRepositories: boolean;
  forbidPrivateForking: boolean;
  /** Organization: at most this many owners (legitify: at most 3) and at least this many (GitHub: at least 2); 0 turns either off. */
  maxOwners: number;
  minOwners: number;
  /** Organization Actions defaults: read-only GITHUB_TOKEN, no pull request approvals by Actions, not every action allowed. */
  requireReadOnlyWorkflowToken: boolean;
  forbidActionsApprovingPullRequests: boolean;
  restrictAllowedActions: boolean;
}

export const DEFAULT_BASELINE: ScanBaseline = {
  requireBranchProtection: true,
  minApprovingReviews: 1,
  requireCodeOwnerReviews: false,
  requireDismissStaleReviews: false,
  requireStatusChecks: true,
  requireStrictStatusChecks: false,
  requireEnforceAdmins: false,
  forbidForcePushes: true,
  forbidDeletions: true,
  requireLinearHistory: false,
  requireSignedCommits: false,
  requireSecurityPolicy: true,
  requireCodeowners: true,
  maxAdmins: 5,
  requireAdmin: true,
  allowOutsideCollaborators: true,
  forbidOutsideCollaboratorWrite: true,
  staleAfterDays: 365,
  maxOpenVulnerabilityAlerts: 0,
  requireDependabotAlerts: true,
  maxOpenSecretScanningAlerts: 0,
  skipArchived: true,
  forbidRulesetBypass: true,
  requireConversationResolution: false,
  requireLastPushApproval: false,
  requirePushRestrictions: false,
  requireReleaseBranchProtection: true,
  forbidWriteDeployKeys: true,
  requireSecretScanning: true,
  requirePushProtection: true,
  forbidInsecureWebhooks: true,
  forbidDangerousWorkflows: true,
  requirePinnedActions: true,
  requireTwoFactor: true,
  maxBasePermission: 'read',
  forbidMemberPublicRepositories: true,
  forbidPrivateForking: true,
  maxOwners: 3,
  minOwners: 2,
  requireReadOnlyWorkflowToken: true,
  forbidActionsApprovingPullRequests: true,
  restrictAllowedActions: true,
};

/** A stored (possibly older, partial) baseline completed with today's defaults. */
export function completeBaseline(stored: Partial<ScanBaseline> | null | undefined): ScanBaseline {
  return { ...DEFAULT_BASELINE, ...(stored ?? {}) };
}
