import { load } from 'js-yaml';

/** What a scan records about a repository's GitHub Actions workflows (`.github/workflows/*.yml`, read through GraphQL). */
export interface WorkflowSnapshot {
  /** Workflow files read. */
  files: number;
  /** `file: job` where a `pull_request_target` (or `workflow_run`) workflow checks out the untrusted head. */
  untrustedCheckouts: string[];
  /** `file: job: expression` where a `run:` (or github-script `script:`) interpolates attacker-controlled `github.event` data. */
  scriptInjections: string[];
  /** `file: owner/action@ref` for third-party actions not pinned by a full commit SHA. */
  unpinnedActions: string[];
  /** Files that could not be parsed as YAML, or that GitHub sent truncated. */
  unreadable: string[];
}

/** Each list in a snapshot keeps at most this many entries (the rest are counted in the message of a finding). */
const LIST_MAX = 25;

/** Triggers that run with the base repository's secrets and a write token on events an outsider can cause. */
const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);

/** `github.event` fields that are numbers, SHAs or ids GitHub sets itself (safe to interpolate), as Scorecard treats them. */
const SAFE_EVENT_FIELD = /\.(number|id|node_id|sha|before|after|run_id|run_number|run_attempt|created_at|updated_at|merged|draft|state|action|forced|deleted|created|size|additions|deletions|changed_files|commits|comments|html_url|url|private|fork)$/;

/** Expressions naming the pull request's head, which a `pull_request_target` checkout must not use. */
const HEAD_REF = /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|refs\/pull\/.*\/(merge|head)/;

const FULL_SHA = /^[0-9a-f]{40}$/;

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => !!v && typeof v === 'object' && !Array.isArray(v);

/** The events a workflow's `on:` names (a string, a list or a map). */
function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((x): x is string => typeof x === 'string');
  if (isMap(on)) return Object.keys(on);
  return [];
}

/** Every `${{ ... }}` expression in a string. */
function expressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

/** The attacker-controlled `github.event` references of one expression (Scorecard Dangerous-Workflow's script injection). */
function untrustedReferences(expression: string): string[] {
  const refs = [...expression.matchAll(/github\.event(?:\.[A-Za-z0-9_*-]+|\[[^\]]*\])+/g)].map((m) => m[0]);
  const head = /github\.head_ref/.test(expression) ? ['github.head_ref'] : [];
  return [...refs.filter((r) => !SAFE_EVENT_FIELD.test(r)), ...head];
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Analyses workflow files as Scorecard's Dangerous-Workflow and Pinned-Dependencies checks do, parsing each locally:
 * an untrusted checkout (a `pull_request_target`/`workflow_run` workflow checking out the pull request's head),
 * script injection (`github.event` text GitHub does not control, interpolated into `run:` or github-script), and
 * `uses:` of another repository's action at a tag or branch instead of a full commit SHA.
 */
export function analyseWorkflows(files: Array<{ name: string; text: string | null; truncated?: boolean }>): WorkflowSnapshot {
  const out: WorkflowSnapshot = { files: 0, untrustedCheckouts: [], scriptInjections: [], unpinnedActions: [], unreadable: [] };
  for (const file of files.filter((f) => YAML_FILE.test(f.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    out.files++;
    if (file.text === null || file.truncated) {
      out.unreadable.push(file.name);
      continue;
    }
    let doc: unknown;
    try {
      doc = load(file.text);
    } catch {
      out.unreadable.push(file.name);
      continue;
    }
    if (!isMap(doc)) continue;
    // YAML 1.1 readers turn a bare `on:` key into `true`; js-yaml (YAML 1.2) keeps it `on`, but accept both.
    const privileged = triggers(doc.on ?? doc['true']).some((t) => PRIVILEGED_TRIGGERS.has(t));
    const jobs = isMap(doc.jobs) ? doc.jobs : {};
    for (const [jobId, job] of Object.entries(jobs)) {
      if (!isMap(job)) continue;
      // A reusable workflow called at job level is a dependency too.
      if (typeof job.uses === 'string') unpinned(out, file.name, job.uses);
      const steps = Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
      for (const step of steps) {
        const uses = typeof step.uses === 'string' ? step.uses : null;
        const withArgs = isMap(step.with) ? step.with : {};
        if (uses) unpinned(out, file.name, uses);
        if (privileged && uses && /^actions\/checkout@/i.test(uses) && typeof withArgs.ref === 'string' && HEAD_REF.test(withArgs.ref)) {
          out.untrustedCheckouts.push(`${file.name}: ${jobId}`);
        }
        const scripts = [step.run, uses && /^actions\/github-script@/i.test(uses) ? withArgs.script : undefined].filter((s): s is string => typeof s === 'string');
        for (const script of scripts) {
          for (const expr of expressions(script)) for (const ref of untrustedReferences(expr)) out.scriptInjections.push(`${file.name}: ${jobId}: ${ref}`);
        }
      }
    }
  }
  out.untrustedCheckouts = capped([...new Set(out.untrustedCheckouts)]);
  out.scriptInjections = capped([...new Set(out.scriptInjections)]);
  out.unpinnedActions = capped([...new Set(out.unpinnedActions)]);
  return out;
}

/** Records `uses:` of another repository's action (or reusable workflow) not pinned by a full SHA; local and docker digests are pinned. */
function unpinned(out: WorkflowSnapshot, file: string, uses: string): void {
  if (uses.startsWith('./') || uses.startsWith('docker://')) {
    if (uses.startsWith('docker://') && !/@sha256:[0-9a-f]{64}$/.test(uses)) out.unpinnedActions.push(`${file}: ${uses}`);
    return;
  }
  const at = uses.lastIndexOf('@');
  if (at < 0 || !FULL_SHA.test(uses.slice(at + 1))) out.unpinnedActions.push(`${file}: ${uses}`);
}

function capped(list: string[]): string[] {
  return list.length > LIST_MAX ? [...list.slice(0, LIST_MAX), `… ${list.length - LIST_MAX} more`] : list;
}
