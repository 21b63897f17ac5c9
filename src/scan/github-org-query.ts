import type { GraphqlError } from '../github/github-client.service';
import type { BranchProtectionSnapshot, RepoSnapshot } from './repo-snapshot';
import { combinedProtection, RulesetNode, rulesetSnapshot, rulesetTruncation, targetsBranch } from './ruleset-protection';
import { RepoResultStatus } from './scan.enums';

/** Which optional parts of the query the installation may read (asking for more makes GitHub answer FORBIDDEN per repository). */
export interface QueryFeatures {
  administration: boolean;
  contents: boolean;
  vulnerabilityAlerts: boolean;
}

export const REPOSITORIES_PER_PAGE = 100;
/** Collaborators read per repository to find administrators (more is reported as a reason). */
const COLLABORATORS_PER_REPO = 50;
/** Rulesets (the repository's and its organization's) and rules per ruleset read per repository. */
const RULESETS_PER_REPO = 10;
const RULES_PER_RULESET = 25;

/**
 * One GraphQL request returns a page of up to 100 repositories with everything a scan needs (0.01 requests per
 * repository). Fields are included only when the installation's permissions let it read them.
 */
export function repositoriesQuery(f: QueryFeatures): string {
  const protection = f.administration
    ? `branchProtectionRule {
          requiresApprovingReviews requiredApprovingReviewCount requiresCodeOwnerReviews dismissesStaleReviews
          requiresStatusChecks requiredStatusCheckContexts requiresStrictStatusChecks isAdminEnforced
          allowsForcePushes allowsDeletions requiresLinearHistory requiresCommitSignatures
        }`
    : '';
  // Rulesets are read with the repository's own and inherited ones (includeParents), so an organization ruleset
  // that governs the default branch counts as protection without a request per repository or per ruleset.
  const rulesets = f.administration
    ? `rulesets(first: ${RULESETS_PER_REPO}, includeParents: true, targets: [BRANCH]) {
        totalCount
        nodes {
          name enforcement source { __typename }
          conditions { refName { include exclude } }
          bypassActors(first: 1) { totalCount }
          rules(first: ${RULES_PER_RULESET}) {
            totalCount
            nodes {
              type
              parameters {
                __typename
                ... on PullRequestParameters { requiredApprovingReviewCount requireCodeOwnerReview dismissStaleReviewsOnPush }
                ... on RequiredStatusChecksParameters { requiredStatusChecks { context } strictRequiredStatusChecksPolicy }
              }
            }
          }
        }
      }`
    : '';
  const files = f.contents
    ? `securityPolicy: object(expression: "HEAD:SECURITY.md") { __typename }
      securityPolicyGithub: object(expression: "HEAD:.github/SECURITY.md") { __typename }
      codeowners: object(expression: "HEAD:CODEOWNERS") { __typename }
      codeownersGithub: object(expression: "HEAD:.github/CODEOWNERS") { __typename }
      codeownersDocs: object(expression: "HEAD:docs/CODEOWNERS") { __typename }`
    : '';
  const people = f.administration
    ? `collaborators(first: ${COLLABORATORS_PER_REPO}, affiliation: ALL) { totalCount edges { permission node { login } } }
      outsideCollaborators: collaborators(first: 1, affiliation: OUTSIDE) { totalCount }`
    : '';
  const alerts = f.vulnerabilityAlerts ? 'vulnerabilityAlerts(states: [OPEN], first: 1) { totalCount }' : '';
  return `query ScanRepositories($login: String!, $first: Int!, $after: String) {
  repositoryOwner(login: $login) {
    repositories(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId nameWithOwner visibility isArchived isFork hasVulnerabilityAlertsEnabled
        defaultBranchRef { name ${protection} }
      ${rulesets}
      ${files}
      ${people}
      ${alerts}
      }
    }
  }
}`;
}

interface ProtectionNode {
  requiresApprovingReviews: boolean;
  requiredApprovingReviewCount: number | null;
  requiresCodeOwnerReviews: boolean;
  dismissesStaleReviews: boolean;
  requiresStatusChecks: boolean;
  requiredStatusCheckContexts: string[] | null;
  requiresStrictStatusChecks: boolean;
  isAdminEnforced: boolean;
  allowsForcePushes: boolean;
  allowsDeletions: boolean;
  requiresLinearHistory: boolean;
  requiresCommitSignatures: boolean;
}

export interface RepositoryNode {
  databaseId: number;
  nameWithOwner: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  isArchived: boolean;
  isFork: boolean;
  hasVulnerabilityAlertsEnabled: boolean;
  defaultBranchRef: { name: string; branchProtectionRule?: ProtectionNode | null } | null;
  rulesets?: { totalCount: number; nodes: Array<RulesetNode | null> } | null;
  securityPolicy?: unknown;
  securityPolicyGithub?: unknown;
  codeowners?: unknown;
  codeownersGithub?: unknown;
  codeownersDocs?: unknown;
  collaborators?: { totalCount: number; edges: Array<{ permission: string; node: { login: string } }> } | null;
  outsideCollaborators?: { totalCount: number } | null;
  vulnerabilityAlerts?: { totalCount: number } | null;
}

export interface RepositoriesPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<RepositoryNode | null>;
}

export interface RepositoriesResponse {
  repositoryOwner: { repositories: RepositoriesPage } | null;
}

/** GraphQL errors of one repository node (`path` = repositoryOwner.repositories.nodes.<i>.<field>...), by node index. */
export function errorsByNode(errors: GraphqlError[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of errors) {
    const path = e.path ?? [];
    const i = path.indexOf('nodes');
    if (i < 0 || typeof path[i + 1] !== 'number') continue;
    const index = path[i + 1] as number;
    const field = path.slice(i + 2).filter((p) => typeof p === 'string').join('.') || 'repository';
    out.set(index, [...(out.get(index) ?? []), `${field}: ${e.message}`]);
  }
  return out;
}

const present = (...objects: unknown[]) => objects.some((o) => o !== null && o !== undefined);

/** One repository node (with its GraphQL errors) → what the scan records. */
export function snapshotOf(node: RepositoryNode, f: QueryFeatures, errors: string[] = []): RepoSnapshot {
  const reasons = [...errors];
  const failed = (field: string) => errors.some((e) => e.startsWith(field));
  if (!f.administration) reasons.push('branch protection and collaborators: the installation lacks administration:read');
  if (!f.contents) reasons.push('files: the installation lacks contents:read');
  const ref = node.defaultBranchRef;
  const rule = ref?.branchProtectionRule;
  const rulesetsRead = f.administration && !failed('rulesets') && node.rulesets ? node.rulesets : null;
  const rulesets = ref && rulesetsRead ? rulesetsRead.nodes.filter((r): r is RulesetNode => !!r && targetsBranch(r, ref.name)) : [];
  if (rulesetsRead) reasons.push(...rulesetTruncation(rulesetsRead));
  let protection: RepoSnapshot['protection'] = null;
  if (f.administration && !failed('defaultBranchRef')) {
    const fromRule = rule ? protectionOf(rule) : null;
    // Without the rulesets, a branch with no protection rule may still be governed by one: unknown, not unprotected.
    protection = !ref ? false : rulesetsRead ? combinedProtection(fromRule, rulesets) : fromRule;
  }
  const readFiles = f.contents && !failed('securityPolicy') && !failed('codeowners');
  const collaborators = f.administration && !failed('collaborators') ? node.collaborators : null;
  if (collaborators && collaborators.totalCount > collaborators.edges.length) reasons.push(`admins: only the first ${collaborators.edges.length} of ${collaborators.totalCount} collaborators were read`);
  return {
    id: node.databaseId,
    fullName: node.nameWithOwner,
    visibility: node.visibility.toLowerCase() as RepoSnapshot['visibility'],
    archived: node.isArchived,
    fork: node.isFork,
    defaultBranch: ref?.name ?? null,
    protection,
    rulesets: rulesetsRead ? rulesets.map(rulesetSnapshot) : null,
    admins: collaborators ? collaborators.edges.filter((e) => e.permission === 'ADMIN').map((e) => e.node.login).sort() : null,
    outsideCollaborators: f.administration && !failed('outsideCollaborators') ? (node.outsideCollaborators?.totalCount ?? 0) : null,
    hasSecurityPolicy: readFiles ? present(node.securityPolicy, node.securityPolicyGithub) : null,
    hasCodeowners: readFiles ? present(node.codeowners, node.codeownersGithub, node.codeownersDocs) : null,
    vulnerabilityAlertsEnabled: node.hasVulnerabilityAlertsEnabled,
    openVulnerabilityAlerts: f.vulnerabilityAlerts && !failed('vulnerabilityAlerts') ? (node.vulnerabilityAlerts?.totalCount ?? 0) : null,
    // Read organization-wide (REST), outside the page query: see org-level-data.ts.
    adminTeams: null,
    openSecretScanningAlerts: null,
    status: reasons.length ? RepoResultStatus.Partial : RepoResultStatus.Ok,
    reasons,
  };
}

function protectionOf(rule: ProtectionNode): BranchProtectionSnapshot {
  return {
    requiredReviews: rule.requiresApprovingReviews,
    requiredReviewCount: rule.requiredApprovingReviewCount ?? 0,
    codeOwnerReviews: rule.requiresCodeOwnerReviews,
    dismissStaleReviews: rule.dismissesStaleReviews,
    requiredStatusChecks: rule.requiresStatusChecks ? [...(rule.requiredStatusCheckContexts ?? [])].sort() : [],
    strictStatusChecks: rule.requiresStrictStatusChecks,
    enforceAdmins: rule.isAdminEnforced,
    allowForcePushes: rule.allowsForcePushes,
    allowDeletions: rule.allowsDeletions,
    linearHistory: rule.requiresLinearHistory,
    signedCommits: rule.requiresCommitSignatures,
    sources: ['branch_protection_rule'],
  };
}
