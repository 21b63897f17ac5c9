import type { RepoSnapshot } from './repo-snapshot';
import type { Finding } from './scan-findings';
import { BASE_PERMISSIONS, type OrgSnapshot } from './org-settings';
import { FindingSeverity } from './scan.enums';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** Set on the changes a security team must look at (made public, protection removed, new admin, ...). */
  severity?: FindingSeverity;
}

export type DriftKind = 'added' | 'removed' | 'renamed' | 'changed';

export interface RepoDrift {
  repo: string;
  kind: DriftKind;
  /** The repository's name in the earlier scan (renames only). */
  renamedFrom?: string;
  changes: FieldChange[];
  findingsAdded: Finding[];
  findingsResolved: Finding[];
}

export interface ScannedRepo {
  /** A repository, or the organization's own row. */
  snapshot: RepoSnapshot | OrgSnapshot;
  findings: Finding[];
}

/** Fields that are bookkeeping or activity, not configuration (the name is compared apart: a rename is its own kind). */
const IGNORED = new Set(['id', 'fullName', 'status', 'reasons', 'pushedAt']);
/** Objects reported as one change when they appear or disappear (`false`/`null` ↔ settings), not field by field. */
const WHOLE_WHEN_TOGGLED = new Set(['protection', 'workflows', 'actions']);

/**
 * Whether a snapshot records a field at all (`a.b.c`): a field a scan of an older version did not record (its parent
 * object lacks the key) is not a change when a newer scan records it.
 */
function recordedIn(snapshot: unknown, field: string): boolean {
  let at: unknown = snapshot;
  for (const key of field.split('.')) {
    if (!isObject(at)) return true;
    if (!(key in (at as Record<string, unknown>))) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

/** Flattens a snapshot into `field.path → value` (arrays compared whole, sorted when of strings). */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (!(prefix === '' && IGNORED.has(k))) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = Array.isArray(value) ? [...value].sort() : value;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const findingKey = (f: Finding) => `${f.check}\u0000${f.message}`;
const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
const grew = (before: unknown, after: unknown) => typeof after === 'number' && after > (typeof before === 'number' ? before : 0);
const gained = (before: unknown, after: unknown) => Array.isArray(after) && after.some((x) => !(Array.isArray(before) ? before : []).includes(x));

/** How much a change of one field weakens the repository's security (undefined: worth listing, not alarming). */
export function changeSeverity(field: string, before: unknown, after: unknown): FindingSeverity | undefined {
  switch (field) {
    case 'visibility':
      return after === 'public' ? FindingSeverity.High : undefined;
    case 'protection':
      return isObject(before) && after === false ? FindingSeverity.High : undefined;
    case 'admins':
    case 'adminTeams':
    case 'owners':
      return gained(before, after) ? FindingSeverity.Medium : undefined;
    case 'outsideCollaborators':
      return grew(before, after) ? FindingSeverity.Medium : undefined;
    case 'outsideCollaboratorsWithWrite':
      return gained(before, after) ? FindingSeverity.High : undefined;
    case 'openSecretScanningAlerts':
      return grew(before, after) ? FindingSeverity.Critical : undefined;
    case 'openVulnerabilityAlerts':
      return grew(before, after) ? FindingSeverity.High : undefined;
    case 'vulnerabilityAlertsEnabled':
      return before === true && after === false ? FindingSeverity.Medium : undefined;
    case 'protection.allowForcePushes':
    case 'protection.allowDeletions':
      return before === false && after === true ? FindingSeverity.High : undefined;
    case 'protection.requiredReviewCount':
      return typeof before === 'number' && typeof after === 'number' && after < before ? FindingSeverity.Medium : undefined;
    case 'protection.enforceAdmins':
    case 'protection.codeOwnerReviews':
    case 'protection.signedCommits':
    case 'protection.lastPushApproval':
    case 'protection.pushRestrictions':
    case 'pushProtection':
      return before === true && after === false ? FindingSeverity.Medium : undefined;
    case 'secretScanning':
    case 'twoFactorRequired':
      return before === true && after === false ? FindingSeverity.High : undefined;
    case 'deployKeysWithWrite':
    case 'unprotectedReleaseBranches':
    case 'workflows.unpinnedActions':
      return gained(before, after) ? FindingSeverity.Medium : undefined;
    case 'insecureWebhooks':
      return gained(before, after) ? FindingSeverity.Low : undefined;
    case 'workflows.scriptInjections':
    case 'workflows.untrustedCheckouts':
      return gained(before, after) ? FindingSeverity.Critical : undefined;
    case 'basePermission':
      return BASE_PERMISSIONS.indexOf(after as OrgSnapshot['basePermission'] & string) > BASE_PERMISSIONS.indexOf(before as OrgSnapshot['basePermission'] & string) && before !== null ? FindingSeverity.High : undefined;
    case 'membersCanCreatePublicRepositories':
    case 'membersCanForkPrivateRepositories':
    case 'actions.canApprovePullRequestReviews':
      return before === false && after === true ? FindingSeverity.Medium : undefined;
    case 'actions.defaultWorkflowPermissions':
      return before === 'read' && after === 'write' ? FindingSeverity.Medium : undefined;
    case 'actions.allowedActions':
      return after === 'all' && before !== null && before !== 'all' ? FindingSeverity.Medium : undefined;
    default:
      return undefined;
  }
}

function fieldChanges(before: RepoSnapshot | OrgSnapshot, after: RepoSnapshot | OrgSnapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (field: string, b: unknown, a: unknown) => {
    const severity = changeSeverity(field, b, a);
    changes.push({ field, before: b, after: a, ...(severity ? { severity } : {}) });
  };
  const toggled = [...WHOLE_WHEN_TOGGLED].filter((f) => {
    const b = (before as unknown as Record<string, unknown>)[f];
    const a = (after as unknown as Record<string, unknown>)[f];
    return recordedIn(before, f) && recordedIn(after, f) && isObject(b) !== isObject(a);
  });
  const a = flatten(before);
  const b = flatten(after);
  for (const field of toggled) add(field, (before as unknown as Record<string, unknown>)[field] ?? null, (after as unknown as Record<string, unknown>)[field] ?? null);
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (toggled.some((t) => field === t || field.startsWith(`${t}.`))) continue;
    if (!recordedIn(before, field) || !recordedIn(after, field)) continue;
    if (!same(a[field], b[field])) add(field, a[field] ?? null, b[field] ?? null);
  }
  return changes.sort((x, y) => x.field.localeCompare(y.field));
}

/** What changed between two scans of one repository (matched by GitHub's repository id); null when nothing did. */
export function repoDrift(before: ScannedRepo | undefined, after: ScannedRepo | undefined): RepoDrift | null {
  if (!before && !after) return null;
  const repo = (after ?? before)!.snapshot.fullName;
  if (!before) return { repo, kind: 'added', changes: [], findingsAdded: after!.findings, findingsResolved: [] };
  if (!after) return { repo, kind: 'removed', changes: [], findingsAdded: [], findingsResolved: before.findings };
  const changes = fieldChanges(before.snapshot, after.snapshot);
  const beforeKeys = new Set(before.findings.map(findingKey));
  const afterKeys = new Set(after.findings.map(findingKey));
  const findingsAdded = after.findings.filter((f) => !beforeKeys.has(findingKey(f)));
  const findingsResolved = before.findings.filter((f) => !afterKeys.has(findingKey(f)));
  const renamedFrom = before.snapshot.fullName !== after.snapshot.fullName ? before.snapshot.fullName : undefined;
  if (renamedFrom) return { repo, kind: 'renamed', renamedFrom, changes, findingsAdded, findingsResolved };
  if (!changes.length && !findingsAdded.length && !findingsResolved.length) return null;
  return { repo, kind: 'changed', changes, findingsAdded, findingsResolved };
}

/** Drift of a whole organization between two completed scans, ordered by repository name. */
export function scanDrift(previous: ScannedRepo[], current: ScannedRepo[]): RepoDrift[] {
  const prev = new Map(previous.map((r) => [r.snapshot.id, r]));
  const curr = new Map(current.map((r) => [r.snapshot.id, r]));
  const out: RepoDrift[] = [];
  for (const id of new Set([...prev.keys(), ...curr.keys()])) {
    const d = repoDrift(prev.get(id), curr.get(id));
    if (d) out.push(d);
  }
  return out.sort((x, y) => x.repo.localeCompare(y.repo));
}
