import type { GraphqlError } from '../github/github-client.service';
import type { RepoSnapshot } from './repo-snapshot';
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
  let protection: RepoSnapshot['protection'] = null;
  if (f.administration && !failed('defaultBranchRef')) {
    protection = !ref || !rule
      ? false
      : {
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
        };
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
    admins: collaborators ? collaborators.edges.filter((e) => e.permission === 'ADMIN').map((e) => e.node.login).sort() : null,
    outsideCollaborators: f.administration && !failed('outsideCollaborators') ? (node.outsideCollaborators?.totalCount ?? 0) : null,
    hasSecurityPolicy: readFiles ? present(node.securityPolicy, node.securityPolicyGithub) : null,
    hasCodeowners: readFiles ? present(node.codeowners, node.codeownersGithub, node.codeownersDocs) : null,
    vulnerabilityAlertsEnabled: node.hasVulnerabilityAlertsEnabled,
    openVulnerabilityAlerts: f.vulnerabilityAlerts && !failed('vulnerabilityAlerts') ? (node.vulnerabilityAlerts?.totalCount ?? 0) : null,
    status: reasons.length ? RepoResultStatus.Partial : RepoResultStatus.Ok,
    reasons,
  };
}
