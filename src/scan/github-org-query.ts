import type { GraphqlError } from '../github/github-client.service';
import type { BranchProtectionSnapshot, RepoSnapshot, VulnerabilityCounts } from './repo-snapshot';
import { combinedProtection, RulesetNode, rulesetSnapshot, rulesetTruncation, targetsBranch } from './ruleset-protection';
import { RepoResultStatus } from './scan.enums';
import { analyseWorkflows, WorkflowSnapshot } from './workflow-analysis';

/** Which optional parts of the query the installation may read (asking for more makes GitHub answer FORBIDDEN per repository). */
export interface QueryFeatures {
  administration: boolean;
  contents: boolean;
  vulnerabilityAlerts: boolean;
  /** Repository webhooks (Webhooks: read), read per repository over REST outside the page query. */
  webhooks?: boolean;
}

export const REPOSITORIES_PER_PAGE = 100;
/** Direct collaborators read per repository to find administrators (more is reported as a reason). */
const COLLABORATORS_PER_REPO = 50;
/** Outside collaborators read per repository to find those who may push (more is reported as a reason). */
const OUTSIDE_COLLABORATORS_PER_REPO = 20;
/** Permissions that let a collaborator push (or more). */
const WRITE_PERMISSIONS = new Set(['WRITE', 'MAINTAIN', 'ADMIN']);
/** Open Dependabot alerts whose severity is read per repository (the count covers all of them). */
const ALERTS_PER_REPO = 50;
/** Where GitHub looks for a security policy: the repository's root, `.github/` and `docs/`. */
const SECURITY_POLICY_PATHS = { securityPolicy: 'SECURITY.md', securityPolicyGithub: '.github/SECURITY.md', securityPolicyDocs: 'docs/SECURITY.md' } as const;
const securityPolicyFields = Object.entries(SECURITY_POLICY_PATHS)
  .map(([alias, path]) => `${alias}: object(expression: "HEAD:${path}") { __typename }`)
  .join('\n      ');
/** Rulesets (the repository's and its organization's) and rules per ruleset read per repository. */
const RULESETS_PER_REPO = 10;
const RULES_PER_RULESET = 25;
/** Release branches (`release*`) and deploy keys read per repository (more is reported as a reason). */
const RELEASE_BRANCHES_PER_REPO = 10;
const DEPLOY_KEYS_PER_REPO = 10;
/** A release branch, as Scorecard's Branch-Protection looks for them (release/1.2, releases/x, release-1.2). */
const RELEASE_BRANCH = /^releases?([/_.-]|$)/i;

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
          requiresConversationResolution requireLastPushApproval restrictsPushes
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
                ... on PullRequestParameters { requiredApprovingReviewCount requireCodeOwnerReview dismissStaleReviewsOnPush requireLastPushApproval requiredReviewThreadResolution }
                ... on RequiredStatusChecksParameters { requiredStatusChecks { context } strictRequiredStatusChecksPolicy }
              }
            }
          }
        }
      }`
    : '';
  // Release branches with the protection rule GitHub applies to each (rulesets are matched locally, as for the
  // default branch), and deploy keys: one more connection per repository each (about 1 point per page each).
  const refsAndKeys = f.administration
    ? `deployKeys(first: ${DEPLOY_KEYS_PER_REPO}) { totalCount nodes { title readOnly } }
      ${f.contents ? `releaseBranches: refs(refPrefix: "refs/heads/", query: "release", first: ${RELEASE_BRANCHES_PER_REPO}) { totalCount nodes { name branchProtectionRule { id } } }` : ''}`
    : '';
  // Workflow files with their text, parsed locally (a tree's entries are not a connection: no points).
  const workflows = f.contents ? `workflows: object(expression: "HEAD:.github/workflows") { ... on Tree { entries { name type object { ... on Blob { text isTruncated } } } } }` : '';
  const files = f.contents
    ? `${securityPolicyFields}
      codeowners: object(expression: "HEAD:CODEOWNERS") { __typename }
      codeownersGithub: object(expression: "HEAD:.github/CODEOWNERS") { __typename }
      codeownersDocs: object(expression: "HEAD:docs/CODEOWNERS") { __typename }`
    : '';
  // Administrators as Allstar counts them: direct collaborators with admin (organization owners, who administer
  // every repository, apart) plus admin teams (read organization-wide).
  const people = f.administration
    ? `collaborators(first: ${COLLABORATORS_PER_REPO}, affiliation: DIRECT) { totalCount edges { permission node { login } } }
      outsideCollaborators: collaborators(first: ${OUTSIDE_COLLABORATORS_PER_REPO}, affiliation: OUTSIDE) { totalCount edges { permission node { login } } }`
    : '';
  const alerts = f.vulnerabilityAlerts ? `vulnerabilityAlerts(states: [OPEN], first: ${ALERTS_PER_REPO}) { totalCount nodes { securityVulnerability { severity } } }` : '';
  // The organization's default community health files (a public repository named `.github`), read once per page.
  const healthRepo = f.contents ? `healthFiles: repository(name: ".github") { visibility ${securityPolicyFields} }` : '';
  return `query ScanRepositories($login: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining }
  repositoryOwner(login: $login) {
    ${healthRepo}
    repositories(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId nameWithOwner visibility isArchived isFork hasVulnerabilityAlertsEnabled pushedAt
        defaultBranchRef { name ${protection} }
      ${rulesets}
      ${refsAndKeys}
      ${workflows}
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
  requiresConversationResolution: boolean;
  requireLastPushApproval: boolean;
  restrictsPushes: boolean;
}

export interface RepositoryNode {
  databaseId: number;
  nameWithOwner: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  isArchived: boolean;
  isFork: boolean;
  hasVulnerabilityAlertsEnabled: boolean;
  pushedAt: string | null;
  defaultBranchRef: { name: string; branchProtectionRule?: ProtectionNode | null } | null;
  rulesets?: { totalCount: number; nodes: Array<RulesetNode | null> } | null;
  securityPolicy?: unknown;
  securityPolicyGithub?: unknown;
  securityPolicyDocs?: unknown;
  codeowners?: unknown;
  codeownersGithub?: unknown;
  codeownersDocs?: unknown;
  deployKeys?: { totalCount: number; nodes: Array<{ title: string; readOnly: boolean } | null> } | null;
  releaseBranches?: { totalCount: number; nodes: Array<{ name: string; branchProtectionRule: { id: string } | null } | null> } | null;
  workflows?: { entries?: Array<{ name: string; type: string; object?: { text?: string | null; isTruncated?: boolean } | null }> | null } | null;
  collaborators?: { totalCount: number; edges: Array<{ permission: string; node: { login: string } }> } | null;
  outsideCollaborators?: { totalCount: number; edges?: Array<{ permission: string; node: { login: string } }> } | null;
  vulnerabilityAlerts?: { totalCount: number; nodes?: Array<{ securityVulnerability: { severity: AdvisorySeverity } | null } | null> } | null;
}

type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'LOW';

/** The owner's `.github` repository as the page query reads it (null: absent or not visible to the installation). */
export interface HealthFilesNode {
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  securityPolicy?: unknown;
  securityPolicyGithub?: unknown;
  securityPolicyDocs?: unknown;
}

export interface RepositoriesPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<RepositoryNode | null>;
}

export interface RepositoriesResponse {
  repositoryOwner: { repositories: RepositoriesPage; healthFiles?: HealthFilesNode | null } | null;
  /** GitHub's own account of what this query cost, in points. */
  rateLimit?: { cost: number; remaining: number } | null;
}

/** Whether the organization has a default security policy: a SECURITY.md in its public `.github` repository. */
export function defaultSecurityPolicy(health: HealthFilesNode | null | undefined): boolean {
  return !!health && health.visibility === 'PUBLIC' && present(health.securityPolicy, health.securityPolicyGithub, health.securityPolicyDocs);
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

const SEVERITY: Record<AdvisorySeverity, keyof VulnerabilityCounts> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', LOW: 'low' };

function bySeverity(alerts: NonNullable<RepositoryNode['vulnerabilityAlerts']>): VulnerabilityCounts {
  const out: VulnerabilityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const a of alerts.nodes ?? []) {
    const s = a?.securityVulnerability?.severity;
    if (s && SEVERITY[s]) out[SEVERITY[s]]++;
  }
  return out;
}

/**
 * One repository node (with its GraphQL errors) → what the scan records. `orgSecurityPolicy`: the organization's
 * default SECURITY.md applies to repositories without their own, as on GitHub.
 */
export function snapshotOf(node: RepositoryNode, f: QueryFeatures, errors: string[] = [], orgSecurityPolicy = false): RepoSnapshot {
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
  const keys = f.administration && !failed('deployKeys') ? node.deployKeys : null;
  const keysRead = keys?.nodes.filter((k): k is { title: string; readOnly: boolean } => !!k) ?? [];
  if (keys && keys.totalCount > keysRead.length) reasons.push(`deploy keys: only the first ${keysRead.length} of ${keys.totalCount} were read`);
  const releaseRead = f.administration && f.contents && !failed('releaseBranches') && node.releaseBranches && rulesetsRead ? node.releaseBranches : null;
  const releaseNodes = (releaseRead?.nodes ?? []).filter((b): b is { name: string; branchProtectionRule: { id: string } | null } => !!b && RELEASE_BRANCH.test(b.name) && b.name !== ref?.name);
  if (releaseRead && releaseRead.totalCount > releaseRead.nodes.length) reasons.push(`release branches: only the first ${releaseRead.nodes.length} of ${releaseRead.totalCount} branches matching 'release' were read`);
  const allRulesets = rulesetsRead ? rulesetsRead.nodes.filter((r): r is RulesetNode => !!r) : [];
  const workflowsRead = f.contents && !failed('workflows') ? workflowSnapshot(node.workflows) : null;
  const outside = f.administration && !failed('outsideCollaborators') ? node.outsideCollaborators : null;
  const outsideEdges = outside?.edges ?? [];
  if (outside && outside.totalCount > outsideEdges.length) reasons.push(`outside collaborators: only the first ${outsideEdges.length} of ${outside.totalCount} were read`);
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
    outsideCollaborators: outside ? outside.totalCount : null,
    outsideCollaboratorsWithWrite: outside ? outsideEdges.filter((e) => WRITE_PERMISSIONS.has(e.permission)).map((e) => `${e.node.login}:${e.permission.toLowerCase()}`).sort() : null,
    pushedAt: node.pushedAt,
    deployKeysWithWrite: keys ? keysRead.filter((k) => !k.readOnly).map((k) => k.title).sort() : null,
    unprotectedReleaseBranches: releaseRead
      ? releaseNodes
          .filter((b) => !b.branchProtectionRule && !allRulesets.some((r) => r.enforcement === 'ACTIVE' && targetsBranch(r, b.name, false)))
          .map((b) => b.name)
          .sort()
      : null,
    workflows: workflowsRead,
    hasSecurityPolicy: readFiles ? orgSecurityPolicy || present(node.securityPolicy, node.securityPolicyGithub, node.securityPolicyDocs) : null,
    hasCodeowners: readFiles ? present(node.codeowners, node.codeownersGithub, node.codeownersDocs) : null,
    vulnerabilityAlertsEnabled: node.hasVulnerabilityAlertsEnabled,
    openVulnerabilityAlerts: f.vulnerabilityAlerts && !failed('vulnerabilityAlerts') ? (node.vulnerabilityAlerts?.totalCount ?? 0) : null,
    openVulnerabilityAlertsBySeverity: f.vulnerabilityAlerts && !failed('vulnerabilityAlerts') && node.vulnerabilityAlerts ? bySeverity(node.vulnerabilityAlerts) : null,
    // Read organization-wide (REST), outside the page query: see org-level-data.ts.
    adminTeams: null,
    openSecretScanningAlerts: null,
    secretScanning: null,
    pushProtection: null,
    insecureWebhooks: null,
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
    conversationResolution: rule.requiresConversationResolution,
    lastPushApproval: rule.requireLastPushApproval,
    pushRestrictions: rule.restrictsPushes,
    sources: ['branch_protection_rule'],
  };
}

/** The `.github/workflows` tree (null: no such directory) analysed locally; only blobs are workflow files. */
function workflowSnapshot(tree: RepositoryNode['workflows']): WorkflowSnapshot {
  const entries = (tree?.entries ?? []).filter((e) => e.type === 'blob');
  return analyseWorkflows(entries.map((e) => ({ name: e.name, text: e.object?.text ?? null, truncated: !!e.object?.isTruncated })));
}
