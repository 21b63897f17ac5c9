import { RepoResultStatus } from './scan.enums';

/** The default branch's protection as a scan records it. */
export interface BranchProtectionSnapshot {
  requiredReviews: boolean;
  requiredReviewCount: number;
  codeOwnerReviews: boolean;
  dismissStaleReviews: boolean;
  requiredStatusChecks: string[] | null;
  strictStatusChecks: boolean;
  enforceAdmins: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  linearHistory: boolean;
  signedCommits: boolean;
}

/**
 * What a scan records per repository. `null` means "could not be read" (the installation lacks the permission,
 * or GitHub returned an error for that field); such a repository's result is `partial` with the reasons.
 */
export interface RepoSnapshot {
  id: number;
  fullName: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  fork: boolean;
  defaultBranch: string | null;
  /** false: the default branch is unprotected; null: unknown. */
  protection: BranchProtectionSnapshot | false | null;
  admins: string[] | null;
  outsideCollaborators: number | null;
  hasSecurityPolicy: boolean | null;
  hasCodeowners: boolean | null;
  vulnerabilityAlertsEnabled: boolean;
  openVulnerabilityAlerts: number | null;
  status: RepoResultStatus;
  /** Why some data is missing (partial/error). */
  reasons: string[];
}
