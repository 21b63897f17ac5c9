import type { ScanBaseline } from './scan-baseline';
import type { Finding } from './scan-findings';
import { ScanCheck } from './scan-findings';
import { FindingSeverity, RepoResultStatus } from './scan.enums';

export type BasePermission = 'none' | 'read' | 'write' | 'admin';
export const BASE_PERMISSIONS: BasePermission[] = ['none', 'read', 'write', 'admin'];

/** The organization's Actions defaults (`GET /orgs/{org}/actions/permissions` and `.../permissions/workflow`). */
export interface ActionsDefaults {
  /** Which repositories may run Actions: `all`, `none`, `selected`. */
  enabledRepositories: string;
  /** Which actions may run: `all`, `local_only`, `selected` (absent when Actions is disabled everywhere). */
  allowedActions: string | null;
  /** The GITHUB_TOKEN's default permissions: `read` or `write`. */
  defaultWorkflowPermissions: 'read' | 'write';
  canApprovePullRequestReviews: boolean;
}

/**
 * What a scan records about the organization itself (one row beside its repositories in the results, under the
 * organization's login, with the negative of its account id as its id). `null`: could not be read (see `reasons`).
 */
export interface OrgSnapshot {
  kind: 'organization';
  id: number;
  fullName: string;
  twoFactorRequired: boolean | null;
  basePermission: BasePermission | null;
  membersCanCreatePublicRepositories: boolean | null;
  membersCanForkPrivateRepositories: boolean | null;
  /** Organization owners (members with the admin role). */
  owners: string[] | null;
  actions: ActionsDefaults | null;
  status: RepoResultStatus;
  reasons: string[];
}

/** `GET /orgs/{org}` as the scan keeps it (fields GitHub returns only with organization_administration:read). */
export interface OrgSettings {
  twoFactorRequired: boolean | null;
  basePermission: BasePermission | null;
  membersCanCreatePublicRepositories: boolean | null;
  membersCanForkPrivateRepositories: boolean | null;
}

export const isOrgSnapshot = (s: { kind?: string }): s is OrgSnapshot => s.kind === 'organization';

/** The organization's findings against the baseline (legitify's organization and Actions policies). */
export function orgFindingsFor(org: OrgSnapshot, baseline: ScanBaseline): Finding[] {
  const out: Finding[] = [];
  const add = (check: ScanCheck, severity: FindingSeverity, message: string) => out.push({ check, severity, message });
  if (org.reasons.length) add(ScanCheck.DataUnavailable, FindingSeverity.Info, `Some data could not be read: ${org.reasons.join('; ')}`);
  if (baseline.requireTwoFactor && org.twoFactorRequired === false) add(ScanCheck.TwoFactorRequired, FindingSeverity.High, 'The organization does not require two-factor authentication');
  if (org.basePermission && BASE_PERMISSIONS.indexOf(org.basePermission) > BASE_PERMISSIONS.indexOf(baseline.maxBasePermission)) {
    add(ScanCheck.BasePermission, org.basePermission === 'read' ? FindingSeverity.Low : FindingSeverity.High, `Members' base permission is '${org.basePermission}'; baseline allows '${baseline.maxBasePermission}'`);
  }
  if (baseline.forbidMemberPublicRepositories && org.membersCanCreatePublicRepositories) add(ScanCheck.PublicRepositoryCreation, FindingSeverity.Medium, 'Members may create public repositories');
  if (baseline.forbidPrivateForking && org.membersCanForkPrivateRepositories) add(ScanCheck.PrivateForking, FindingSeverity.Low, 'Members may fork private repositories');
  const owners = org.owners?.length;
  const plural = (n: number) => `${n} organization owner${n === 1 ? '' : 's'}`;
  if (owners !== undefined && baseline.maxOwners > 0 && owners > baseline.maxOwners) add(ScanCheck.TooManyOwners, FindingSeverity.Medium, `${plural(owners)}; baseline allows ${baseline.maxOwners}`);
  if (owners !== undefined && baseline.minOwners > 0 && owners < baseline.minOwners) add(ScanCheck.TooFewOwners, FindingSeverity.Low, `${plural(owners)}; baseline asks for at least ${baseline.minOwners}`);
  const a = org.actions;
  if (a && a.enabledRepositories !== 'none') {
    if (baseline.requireReadOnlyWorkflowToken && a.defaultWorkflowPermissions === 'write') add(ScanCheck.WorkflowTokenWrite, FindingSeverity.Medium, "Workflows' GITHUB_TOKEN has read and write permissions by default");
    if (baseline.forbidActionsApprovingPullRequests && a.canApprovePullRequestReviews) add(ScanCheck.ActionsApprovePullRequests, FindingSeverity.High, 'GitHub Actions may create and approve pull requests');
    if (baseline.restrictAllowedActions && a.allowedActions === 'all') add(ScanCheck.AllowedActions, FindingSeverity.Medium, 'Any action or reusable workflow may run (allowed actions: all)');
  }
  return out;
}
