import type { RepoSnapshot } from './repo-snapshot';
import type { ScanBaseline } from './scan-baseline';
import { FindingSeverity } from './scan.enums';

/** Stable ids of the checks a scan runs. */
export enum ScanCheck {
  DataUnavailable = 'data_unavailable',
  Archived = 'archived',
  BranchProtection = 'branch_protection',
  RequiredReviews = 'required_reviews',
  CodeOwnerReviews = 'code_owner_reviews',
  DismissStaleReviews = 'dismiss_stale_reviews',
  StatusChecks = 'status_checks',
  StrictStatusChecks = 'strict_status_checks',
  EnforceAdmins = 'enforce_admins',
  ForcePushes = 'force_pushes',
  Deletions = 'branch_deletion',
  LinearHistory = 'linear_history',
  SignedCommits = 'signed_commits',
  SecurityPolicy = 'security_policy',
  Codeowners = 'codeowners',
  Admins = 'admins',
  NoAdmins = 'no_admins',
  OutsideCollaborators = 'outside_collaborators',
  OutsideCollaboratorWrite = 'outside_collaborator_write',
  StaleRepository = 'stale_repository',
  VulnerabilityAlerts = 'vulnerability_alerts',
  DependabotAlertsDisabled = 'dependabot_alerts_disabled',
  SecretScanningAlerts = 'secret_scanning_alerts',
  RulesetBypass = 'ruleset_bypass',
  ConversationResolution = 'conversation_resolution',
  LastPushApproval = 'last_push_approval',
  PushRestrictions = 'push_restrictions',
  ReleaseBranchProtection = 'release_branch_protection',
  DeployKeyWrite = 'deploy_key_write',
  SecretScanningDisabled = 'secret_scanning_disabled',
  PushProtectionDisabled = 'push_protection_disabled',
  InsecureWebhook = 'insecure_webhook',
  DangerousWorkflow = 'dangerous_workflow',
  ScriptInjection = 'script_injection',
  UnpinnedActions = 'unpinned_actions',
  // Organization-level checks (on the organization's own row).
  TwoFactorRequired = 'two_factor_required',
  BasePermission = 'base_permission',
  PublicRepositoryCreation = 'public_repository_creation',
  PrivateForking = 'private_forking',
  TooManyOwners = 'too_many_owners',
  TooFewOwners = 'too_few_owners',
  WorkflowTokenWrite = 'workflow_token_write',
  ActionsApprovePullRequests = 'actions_approve_pull_requests',
  AllowedActions = 'allowed_actions',
}

export interface Finding {
  check: ScanCheck;
  severity: FindingSeverity;
  message: string;
}

/**
 * Compares one repository with the baseline, as of the scan's time. Pure: the same snapshot, baseline and time always
 * give the same findings, in check order. Unknown data (null) never produces a finding of its own kind, only a `data_unavailable` one.
 */
export function findingsFor(repo: RepoSnapshot, baseline: ScanBaseline, asOf: Date): Finding[] {
  const out: Finding[] = [];
  const add = (check: ScanCheck, severity: FindingSeverity, message: string) => out.push({ check, severity, message });
  if (repo.reasons.length) add(ScanCheck.DataUnavailable, FindingSeverity.Info, `Some data could not be read: ${repo.reasons.join('; ')}`);
  if (repo.archived && baseline.skipArchived) {
    add(ScanCheck.Archived, FindingSeverity.Info, 'Repository is archived; configuration checks skipped');
    return out;
  }
  const p = repo.protection;
  if (p === false) {
    if (baseline.requireBranchProtection) add(ScanCheck.BranchProtection, FindingSeverity.High, `Default branch '${repo.defaultBranch}' is not protected`);
  } else if (p) {
    const branch = `Default branch '${repo.defaultBranch}'`;
    if (baseline.minApprovingReviews > 0 && (!p.requiredReviews || p.requiredReviewCount < baseline.minApprovingReviews)) {
      add(ScanCheck.RequiredReviews, FindingSeverity.Medium, `${branch} requires ${p.requiredReviews ? p.requiredReviewCount : 0} approving reviews; baseline is ${baseline.minApprovingReviews}`);
    }
    if (baseline.requireCodeOwnerReviews && !p.codeOwnerReviews) add(ScanCheck.CodeOwnerReviews, FindingSeverity.Low, `${branch} does not require code owner reviews`);
    if (baseline.requireDismissStaleReviews && !p.dismissStaleReviews) add(ScanCheck.DismissStaleReviews, FindingSeverity.Low, `${branch} does not dismiss stale reviews`);
    if (baseline.requireStatusChecks && !p.requiredStatusChecks?.length) add(ScanCheck.StatusChecks, FindingSeverity.Medium, `${branch} requires no status checks`);
    if (baseline.requireStrictStatusChecks && !p.strictStatusChecks) add(ScanCheck.StrictStatusChecks, FindingSeverity.Low, `${branch} does not require branches to be up to date`);
    if (baseline.requireEnforceAdmins && !p.enforceAdmins) add(ScanCheck.EnforceAdmins, FindingSeverity.Medium, `${branch} protection does not apply to administrators`);
    if (baseline.forbidForcePushes && p.allowForcePushes) add(ScanCheck.ForcePushes, FindingSeverity.High, `${branch} allows force pushes`);
    if (baseline.forbidDeletions && p.allowDeletions) add(ScanCheck.Deletions, FindingSeverity.High, `${branch} can be deleted`);
    if (baseline.requireLinearHistory && !p.linearHistory) add(ScanCheck.LinearHistory, FindingSeverity.Low, `${branch} does not require linear history`);
    if (baseline.requireSignedCommits && !p.signedCommits) add(ScanCheck.SignedCommits, FindingSeverity.Low, `${branch} does not require signed commits`);
    if (baseline.requireConversationResolution && !p.conversationResolution) add(ScanCheck.ConversationResolution, FindingSeverity.Low, `${branch} does not require conversations to be resolved before merging`);
    if (baseline.requireLastPushApproval && !p.lastPushApproval) add(ScanCheck.LastPushApproval, FindingSeverity.Medium, `${branch} does not require the most recent push to be approved by someone else`);
    if (baseline.requirePushRestrictions && !p.pushRestrictions) add(ScanCheck.PushRestrictions, FindingSeverity.Medium, `${branch} does not restrict who may push`);
  }
  const bypassed = (repo.rulesets ?? []).filter((r) => r.enforcement === 'active' && r.bypassActors > 0);
  if (baseline.forbidRulesetBypass && bypassed.length) {
    add(ScanCheck.RulesetBypass, FindingSeverity.Medium, `Rulesets on the default branch may be bypassed: ${bypassed.map((r) => `'${r.name}' (${r.bypassActors} bypass actor${r.bypassActors === 1 ? '' : 's'})`).join(', ')}`);
  }
  if (baseline.requireReleaseBranchProtection && repo.unprotectedReleaseBranches?.length) add(ScanCheck.ReleaseBranchProtection, FindingSeverity.High, `Release branches are not protected: ${repo.unprotectedReleaseBranches.join(', ')}`);
  if (baseline.forbidWriteDeployKeys && repo.deployKeysWithWrite?.length) add(ScanCheck.DeployKeyWrite, FindingSeverity.Medium, `Deploy keys may push: ${repo.deployKeysWithWrite.join(', ')}`);
  if (baseline.requireSecretScanning && repo.secretScanning === false) add(ScanCheck.SecretScanningDisabled, FindingSeverity.High, 'Secret scanning is disabled');
  // Push protection needs secret scanning: reported once secret scanning is on.
  if (baseline.requirePushProtection && repo.secretScanning && repo.pushProtection === false) add(ScanCheck.PushProtectionDisabled, FindingSeverity.Medium, 'Secret scanning push protection is disabled');
  if (baseline.forbidInsecureWebhooks && repo.insecureWebhooks?.length) add(ScanCheck.InsecureWebhook, FindingSeverity.Low, `Webhooks send insecurely: ${repo.insecureWebhooks.join('; ')}`);
  const w = repo.workflows;
  if (w && baseline.forbidDangerousWorkflows) {
    if (w.untrustedCheckouts.length) add(ScanCheck.DangerousWorkflow, FindingSeverity.Critical, `pull_request_target/workflow_run workflows check out the untrusted head: ${w.untrustedCheckouts.join(', ')}`);
    if (w.scriptInjections.length) add(ScanCheck.ScriptInjection, FindingSeverity.Critical, `Workflows interpolate untrusted github.event data into scripts: ${w.scriptInjections.join(', ')}`);
  }
  if (w && baseline.requirePinnedActions && w.unpinnedActions.length) add(ScanCheck.UnpinnedActions, FindingSeverity.Medium, `Actions not pinned by a full commit SHA: ${w.unpinnedActions.join(', ')}`);
  if (baseline.requireSecurityPolicy && repo.hasSecurityPolicy === false) add(ScanCheck.SecurityPolicy, FindingSeverity.Low, 'SECURITY.md is missing');
  if (baseline.requireCodeowners && repo.hasCodeowners === false) add(ScanCheck.Codeowners, FindingSeverity.Low, 'CODEOWNERS is missing');
  if (repo.admins && repo.admins.length > baseline.maxAdmins) add(ScanCheck.Admins, FindingSeverity.Low, `${repo.admins.length} administrators; baseline allows ${baseline.maxAdmins}`);
  // Only when both people and teams could be read: one unknown side may hold the administrators.
  if (baseline.requireAdmin && repo.admins?.length === 0 && repo.adminTeams?.length === 0) add(ScanCheck.NoAdmins, FindingSeverity.Medium, 'No user or team administers the repository');
  if (!baseline.allowOutsideCollaborators && repo.outsideCollaborators) {
    add(ScanCheck.OutsideCollaborators, FindingSeverity.Medium, `${repo.outsideCollaborators} outside collaborators`);
  }
  if (baseline.requireDependabotAlerts && !repo.vulnerabilityAlertsEnabled) add(ScanCheck.DependabotAlertsDisabled, FindingSeverity.Medium, 'Dependabot alerts are disabled');
  const pushers = repo.outsideCollaboratorsWithWrite;
  if (baseline.forbidOutsideCollaboratorWrite && pushers?.length) {
    const admin = pushers.some((p) => p.endsWith(':admin'));
    add(ScanCheck.OutsideCollaboratorWrite, admin ? FindingSeverity.High : FindingSeverity.Medium, `Outside collaborators may push: ${pushers.join(', ')}`);
  }
  if (baseline.staleAfterDays > 0 && repo.pushedAt) {
    const days = Math.floor((asOf.getTime() - Date.parse(repo.pushedAt)) / 86_400_000);
    if (days > baseline.staleAfterDays) add(ScanCheck.StaleRepository, FindingSeverity.Low, `No push for ${days} days (baseline: ${baseline.staleAfterDays}); archive it or keep it maintained`);
  }
  if (repo.openVulnerabilityAlerts !== null && repo.openVulnerabilityAlerts > baseline.maxOpenVulnerabilityAlerts) {
    add(ScanCheck.VulnerabilityAlerts, alertSeverity(repo), `${repo.openVulnerabilityAlerts} open vulnerability alerts${severitySummary(repo)}; baseline allows ${baseline.maxOpenVulnerabilityAlerts}`);
  }
  if (typeof repo.openSecretScanningAlerts === 'number' && repo.openSecretScanningAlerts > baseline.maxOpenSecretScanningAlerts) {
    add(ScanCheck.SecretScanningAlerts, FindingSeverity.Critical, `${repo.openSecretScanningAlerts} open secret scanning alerts; baseline allows ${baseline.maxOpenSecretScanningAlerts}`);
  }
  return out;
}

const BY_RANK: Array<keyof NonNullable<RepoSnapshot['openVulnerabilityAlertsBySeverity']>> = ['critical', 'high', 'medium', 'low'];

/** The most severe open alert's severity (high when the severities could not be read). */
function alertSeverity(repo: RepoSnapshot): FindingSeverity {
  const counts = repo.openVulnerabilityAlertsBySeverity;
  const worst = counts ? BY_RANK.find((s) => counts[s] > 0) : undefined;
  return worst ? (worst as FindingSeverity) : FindingSeverity.High;
}

function severitySummary(repo: RepoSnapshot): string {
  const counts = repo.openVulnerabilityAlertsBySeverity;
  const parts = counts ? BY_RANK.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`) : [];
  return parts.length ? ` (${parts.join(', ')})` : '';
}
