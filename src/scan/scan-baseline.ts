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
};

/** A stored (possibly older, partial) baseline completed with today's defaults. */
export function completeBaseline(stored: Partial<ScanBaseline> | null | undefined): ScanBaseline {
  return { ...DEFAULT_BASELINE, ...(stored ?? {}) };
}
