import type { RepoSnapshot } from './repo-snapshot';
import type { Finding } from './scan-findings';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface RepoDrift {
  repo: string;
  kind: 'added' | 'removed' | 'changed';
  changes: FieldChange[];
  findingsAdded: Finding[];
  findingsResolved: Finding[];
}

export interface ScannedRepo {
  snapshot: RepoSnapshot;
  findings: Finding[];
}

/** Fields that are bookkeeping, not configuration. */
const IGNORED = new Set(['id', 'fullName', 'status', 'reasons']);

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

/** What changed between two scans of one repository; null when nothing did. */
export function repoDrift(before: ScannedRepo | undefined, after: ScannedRepo | undefined): RepoDrift | null {
  if (!before && !after) return null;
  const repo = (after ?? before)!.snapshot.fullName;
  if (!before) return { repo, kind: 'added', changes: [], findingsAdded: after!.findings, findingsResolved: [] };
  if (!after) return { repo, kind: 'removed', changes: [], findingsAdded: [], findingsResolved: before.findings };
  const a = flatten(before.snapshot);
  const b = flatten(after.snapshot);
  const changes: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!same(a[field], b[field])) changes.push({ field, before: a[field] ?? null, after: b[field] ?? null });
  }
  const beforeKeys = new Set(before.findings.map(findingKey));
  const afterKeys = new Set(after.findings.map(findingKey));
  const findingsAdded = after.findings.filter((f) => !beforeKeys.has(findingKey(f)));
  const findingsResolved = before.findings.filter((f) => !afterKeys.has(findingKey(f)));
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
