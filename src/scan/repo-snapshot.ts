import type { WorkflowSnapshot } from './workflow-analysis';
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
  /** Open review conversations must be resolved before merging. */
  conversationResolution: boolean;
  /** The most recent push must be approved by someone other than its author. */
  lastPushApproval: boolean;
  /** Only chosen people, teams or apps may push (branch rule push restrictions, or a ruleset's restrict updates). */
  pushRestrictions: boolean;
  /** What protects the branch: `branch_protection_rule` and/or `ruleset:<name>` (active rulesets only). */
  sources: string[];
}

/** A ruleset that targets the default branch (evaluate-mode and disabled ones are recorded but protect nothing). */
export interface RulesetSnapshot {
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  /** Where it is defined: the repository itself, its organization or its enterprise. */
  source: 'repository' | 'organization' | 'enterprise';
  /** Actors (roles, teams, apps) who may bypass it. */
  bypassActors: number;
}

/** Open Dependabot alerts by their advisory's severity (GitHub's MODERATE is `medium`). */
export interface VulnerabilityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
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
  /** false: the default branch is unprotected; null: unknown. A branch protection rule and active rulesets combined. */
  protection: BranchProtectionSnapshot | false | null;
  /** Rulesets that target the default branch. */
  rulesets: RulesetSnapshot[] | null;
  /** Direct collaborators with admin permission (organization owners apart, as Allstar counts them). */
  admins: string[] | null;
  /** Slugs of the organization's teams with admin permission on the repository (read organization-wide). */
  adminTeams: string[] | null;
  outsideCollaborators: number | null;
  /** Outside collaborators who may push, as `login:permission` (write, maintain or admin). */
  outsideCollaboratorsWithWrite: string[] | null;
  /** When the repository was last pushed to (GitHub's pushedAt). */
  pushedAt: string | null;
  /** Titles of deploy keys that may push (not read-only). */
  deployKeysWithWrite: string[] | null;
  /** Release branches (`release*`) that neither a branch protection rule nor an active ruleset protects. */
  unprotectedReleaseBranches: string[] | null;
  /** The workflows in `.github/workflows`, analysed (untrusted checkouts, script injection, unpinned actions). */
  workflows: WorkflowSnapshot | null;
  hasSecurityPolicy: boolean | null;
  hasCodeowners: boolean | null;
  vulnerabilityAlertsEnabled: boolean;
  openVulnerabilityAlerts: number | null;
  /** The open alerts read (the first 50) by severity; null where alerts are not visible. */
  openVulnerabilityAlertsBySeverity: VulnerabilityCounts | null;
  /** Open secret scanning alerts; null where secret scanning is not visible to the installation. */
  openSecretScanningAlerts: number | null;
  /** Secret scanning and push protection as GitHub reports them (security_and_analysis); null: not visible. */
  secretScanning: boolean | null;
  pushProtection: boolean | null;
  /** Repository webhooks that send without a secret, over plain HTTP or without TLS verification (`id url: why`). */
  insecureWebhooks: string[] | null;
  status: RepoResultStatus;
  /** Why some data is missing (partial/error). */
  reasons: string[];
}
