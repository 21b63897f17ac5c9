import type { Capability } from './provider-adapter';

/** The checks and actions the policies can use, one catalog entry each. */
const cap = (id: string, name: string, description: string): Capability => ({ id, name, description });

export const CHECKS = {
  branchProtection: cap('branch_protection', 'Branch protection', 'The default branch is protected'),
  ciStatus: cap('ci_status', 'CI status', 'The latest pipeline on the default branch passed'),
  mergeRequestApprovals: cap('merge_request_approvals', 'Merge request approvals', 'Merge requests require approvals'),
  channelReachable: cap('channel_reachable', 'Channel reachable', 'The hub can post to the configured channel'),
  webhookReachable: cap('webhook_reachable', 'Webhook reachable', 'The webhook exists and accepts messages'),
  issueTracking: cap('issue_tracking', 'Issue tracking', 'Projects are reachable for issue creation'),
  domainVerified: cap('domain_verified', 'Domain verified', 'The sender domain verification record is published'),
  dkimConfigured: cap('dkim_configured', 'DKIM configured', 'The three DKIM CNAME records are published'),
};

export const ACTIONS = {
  label: cap('label', 'Label', 'Add a label to the issue or merge request'),
  comment: cap('comment', 'Comment', 'Comment on the issue or merge request'),
  notify: cap('notify', 'Notify', 'Post a message to a channel'),
  createIssue: cap('create_issue', 'Create issue', 'Open an issue or ticket'),
  sendEmail: cap('send_email', 'Send email', 'Send an email from the verified domain'),
};

/** A configuration schema: an object with these optional string/array settings and nothing else. */
export function settingsSchema(strings: string[], arrays: string[] = []): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const s of strings) properties[s] = { type: 'string', maxLength: 2048 };
  for (const a of arrays) properties[a] = { type: 'array', items: { type: 'string', maxLength: 256 }, maxItems: 100 };
  return { type: 'object', properties, additionalProperties: false };
}
