import type { BranchProtectionSnapshot } from './repo-snapshot';
import { combinedProtection, RulesetNode, rulesetTruncation, targetsBranch } from './ruleset-protection';

const ruleset = (over: Partial<RulesetNode> = {}, rules: RulesetNode['rules'] = { totalCount: 0, nodes: [] }): RulesetNode => ({
  name: 'main-guard',
  enforcement: 'ACTIVE',
  source: { __typename: 'Organization' },
  conditions: { refName: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  bypassActors: { totalCount: 1 },
  rules,
  ...over,
});
const rules = (...nodes: Array<{ type: string; parameters?: Record<string, unknown> & { __typename: string } }>): RulesetNode['rules'] => ({
  totalCount: nodes.length,
  nodes: nodes.map((n) => ({ type: n.type, parameters: n.parameters ?? null })),
});
const refs = (include: string[], exclude: string[] = []) => ruleset({ conditions: { refName: { include, exclude } } });

describe('targetsBranch', () => {
  it('matches ~DEFAULT_BRANCH, ~ALL and fnmatch ref patterns, minus exclusions', () => {
    expect(targetsBranch(refs(['~DEFAULT_BRANCH']), 'main')).toBe(true);
    expect(targetsBranch(refs(['~ALL']), 'trunk')).toBe(true);
    expect(targetsBranch(refs(['refs/heads/main']), 'main')).toBe(true);
    expect(targetsBranch(refs(['refs/heads/release/*']), 'main')).toBe(false);
    expect(targetsBranch(refs(['refs/heads/ma*']), 'main')).toBe(true);
    expect(targetsBranch(refs(['refs/heads/*']), 'team/main')).toBe(false);
    expect(targetsBranch(refs(['refs/heads/**']), 'team/main')).toBe(true);
    expect(targetsBranch(refs(['~ALL'], ['refs/heads/main']), 'main')).toBe(false);
    expect(targetsBranch(refs(['~ALL'], ['~DEFAULT_BRANCH']), 'main')).toBe(false);
    expect(targetsBranch(ruleset({ conditions: { refName: null } }), 'main')).toBe(false);
  });
});

describe('combinedProtection', () => {
  it('is unprotected with neither a rule nor an active ruleset (evaluate mode protects nothing)', () => {
    expect(combinedProtection(null, [])).toBe(false);
    expect(combinedProtection(null, [ruleset({ enforcement: 'EVALUATE' }, rules({ type: 'DELETION' }))])).toBe(false);
  });

  it('turns a ruleset alone into protection with its rules', () => {
    const p = combinedProtection(null, [
      ruleset(
        { bypassActors: { totalCount: 0 } },
        rules(
          { type: 'PULL_REQUEST', parameters: { __typename: 'PullRequestParameters', requiredApprovingReviewCount: 2, requireCodeOwnerReview: true, dismissStaleReviewsOnPush: false } },
          { type: 'REQUIRED_STATUS_CHECKS', parameters: { __typename: 'RequiredStatusChecksParameters', requiredStatusChecks: [{ context: 'lint' }, { context: 'ci' }], strictRequiredStatusChecksPolicy: true } },
          { type: 'NON_FAST_FORWARD' },
          { type: 'DELETION' },
          { type: 'REQUIRED_SIGNATURES' },
        ),
      ),
    ]);
    expect(p).toEqual({
      requiredReviews: true,
      requiredReviewCount: 2,
      codeOwnerReviews: true,
      dismissStaleReviews: false,
      requiredStatusChecks: ['ci', 'lint'],
      strictStatusChecks: true,
      enforceAdmins: true,
      allowForcePushes: false,
      allowDeletions: false,
      linearHistory: false,
      signedCommits: true,
      conversationResolution: false,
      lastPushApproval: false,
      pushRestrictions: false,
      sources: ['ruleset:main-guard'],
    });
  });

  it('layers rulesets over a branch protection rule: the most restrictive setting wins', () => {
    const rule: BranchProtectionSnapshot = {
      requiredReviews: true,
      requiredReviewCount: 3,
      codeOwnerReviews: false,
      dismissStaleReviews: true,
      requiredStatusChecks: ['build'],
      strictStatusChecks: false,
      enforceAdmins: false,
      allowForcePushes: true,
      allowDeletions: false,
      linearHistory: false,
      signedCommits: false,
      conversationResolution: false,
      lastPushApproval: false,
      pushRestrictions: false,
      sources: ['branch_protection_rule'],
    };
    const p = combinedProtection(rule, [ruleset({}, rules({ type: 'PULL_REQUEST', parameters: { __typename: 'PullRequestParameters', requiredApprovingReviewCount: 1 } }, { type: 'NON_FAST_FORWARD' }, { type: 'REQUIRED_LINEAR_HISTORY' }))]);
    expect(p).toMatchObject({ requiredReviewCount: 3, dismissStaleReviews: true, allowForcePushes: false, linearHistory: true, enforceAdmins: false, requiredStatusChecks: ['build'], sources: ['branch_protection_rule', 'ruleset:main-guard'] });
    expect(rule.sources).toEqual(['branch_protection_rule']);
  });

  it('says when rulesets or rules were cut off', () => {
    expect(rulesetTruncation({ totalCount: 12, nodes: [ruleset({}, { totalCount: 30, nodes: [] })] })).toEqual([
      'rulesets: only the first 1 of 12 rulesets were read',
      "rulesets: only the first 0 of 30 rules of 'main-guard' were read",
    ]);
  });
});
