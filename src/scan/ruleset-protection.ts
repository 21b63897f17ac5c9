import type { BranchProtectionSnapshot, RulesetSnapshot } from './repo-snapshot';

/** A repository ruleset as the scan's GraphQL query reads it (`Repository.rulesets`, parents included). */
export interface RulesetNode {
  name: string;
  enforcement: 'ACTIVE' | 'EVALUATE' | 'DISABLED';
  source: { __typename: string };
  conditions: { refName: { include: string[]; exclude: string[] } | null };
  bypassActors: { totalCount: number } | null;
  rules: { totalCount: number; nodes: Array<RuleNode | null> } | null;
}

export interface RuleNode {
  type: string;
  parameters: {
    __typename: string;
    requiredApprovingReviewCount?: number;
    requireCodeOwnerReview?: boolean;
    dismissStaleReviewsOnPush?: boolean;
    requireLastPushApproval?: boolean;
    requiredReviewThreadResolution?: boolean;
    requiredStatusChecks?: Array<{ context: string }>;
    strictRequiredStatusChecksPolicy?: boolean;
  } | null;
}

/** A `fnmatch`-style ref pattern of a ruleset condition (`*` stops at `/`, `**` does not) as a regular expression. */
function refPattern(pattern: string): RegExp {
  const full = pattern.startsWith('refs/') ? pattern : `refs/heads/${pattern}`;
  const body = full
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

function matches(pattern: string, branch: string, isDefault: boolean): boolean {
  if (pattern === '~ALL') return true;
  if (pattern === '~DEFAULT_BRANCH') return isDefault;
  return refPattern(pattern).test(`refs/heads/${branch}`);
}

/**
 * Whether a ruleset's ref-name condition selects a branch (`~ALL`, a matching pattern, or `~DEFAULT_BRANCH` for the
 * default branch, which is the one asked about unless `isDefault` says otherwise).
 */
export function targetsBranch(ruleset: RulesetNode, branch: string, isDefault = true): boolean {
  const refName = ruleset.conditions.refName;
  if (!refName) return false;
  return refName.include.some((p) => matches(p, branch, isDefault)) && !refName.exclude.some((p) => matches(p, branch, isDefault));
}

export function rulesetSnapshot(ruleset: RulesetNode): RulesetSnapshot {
  return {
    name: ruleset.name,
    enforcement: ruleset.enforcement.toLowerCase() as RulesetSnapshot['enforcement'],
    source: ruleset.source.__typename.toLowerCase() as RulesetSnapshot['source'],
    bypassActors: ruleset.bypassActors?.totalCount ?? 0,
  };
}

const UNPROTECTED: BranchProtectionSnapshot = {
  requiredReviews: false,
  requiredReviewCount: 0,
  codeOwnerReviews: false,
  dismissStaleReviews: false,
  requiredStatusChecks: [],
  strictStatusChecks: false,
  enforceAdmins: false,
  allowForcePushes: true,
  allowDeletions: true,
  linearHistory: false,
  signedCommits: false,
  conversationResolution: false,
  lastPushApproval: false,
  pushRestrictions: false,
  sources: [],
};

/**
 * The protection GitHub enforces on the default branch: its branch protection rule (if any) and every active ruleset
 * targeting it, layered as GitHub layers them (the most restrictive setting wins). `false` when nothing protects it.
 * A ruleset nobody may bypass applies to administrators too.
 */
export function combinedProtection(rule: BranchProtectionSnapshot | null, rulesets: RulesetNode[]): BranchProtectionSnapshot | false {
  const active = rulesets.filter((r) => r.enforcement === 'ACTIVE');
  if (!rule && !active.length) return false;
  const p: BranchProtectionSnapshot = { ...(rule ?? UNPROTECTED), requiredStatusChecks: [...(rule?.requiredStatusChecks ?? [])], sources: [...(rule?.sources ?? [])] };
  for (const ruleset of active) {
    p.sources.push(`ruleset:${ruleset.name}`);
    if (ruleset.bypassActors?.totalCount === 0) p.enforceAdmins = true;
    for (const r of ruleset.rules?.nodes ?? []) {
      if (!r) continue;
      const params = r.parameters;
      switch (r.type) {
        case 'PULL_REQUEST':
          p.requiredReviews = true;
          p.requiredReviewCount = Math.max(p.requiredReviewCount, params?.requiredApprovingReviewCount ?? 0);
          p.codeOwnerReviews ||= !!params?.requireCodeOwnerReview;
          p.dismissStaleReviews ||= !!params?.dismissStaleReviewsOnPush;
          p.lastPushApproval ||= !!params?.requireLastPushApproval;
          p.conversationResolution ||= !!params?.requiredReviewThreadResolution;
          break;
        case 'REQUIRED_REVIEW_THREAD_RESOLUTION':
          p.conversationResolution = true;
          break;
        case 'UPDATE':
          // Only those who may bypass the ruleset may push: GitHub's "restrict updates".
          p.pushRestrictions = true;
          break;
        case 'REQUIRED_STATUS_CHECKS':
          p.requiredStatusChecks = [...new Set([...(p.requiredStatusChecks ?? []), ...(params?.requiredStatusChecks ?? []).map((c) => c.context)])];
          p.strictStatusChecks ||= !!params?.strictRequiredStatusChecksPolicy;
          break;
        case 'NON_FAST_FORWARD':
          p.allowForcePushes = false;
          break;
        case 'DELETION':
          p.allowDeletions = false;
          break;
        case 'REQUIRED_LINEAR_HISTORY':
          p.linearHistory = true;
          break;
        case 'REQUIRED_SIGNATURES':
          p.signedCommits = true;
          break;
      }
    }
  }
  p.requiredStatusChecks = [...(p.requiredStatusChecks ?? [])].sort();
  return p;
}

/** Why the rulesets read for a repository may be incomplete (more rulesets or rules than one query reads). */
export function rulesetTruncation(connection: { totalCount: number; nodes: Array<RulesetNode | null> }): string[] {
  const out: string[] = [];
  const read = connection.nodes.filter((n): n is RulesetNode => !!n);
  if (connection.totalCount > read.length) out.push(`rulesets: only the first ${read.length} of ${connection.totalCount} rulesets were read`);
  for (const r of read) if (r.rules && r.rules.totalCount > r.rules.nodes.length) out.push(`rulesets: only the first ${r.rules.nodes.length} of ${r.rules.totalCount} rules of '${r.name}' were read`);
  return out;
}
