import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapTrim {
  /** V8's heap (all spaces, committed) before and after, in MiB. */
  beforeMb: number;
  afterMb: number;
  /** Young generation (new space) before and after, in MiB. */
  youngBeforeMb: number;
  youngAfterMb: number;
  ms: number;
}

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let collect: Collect | undefined;

/** V8's `gc()`: the global one under `--expose-gc`, else one from a context created after the flag is set. */
function collector(): Collect {
  if (collect) return collect;
  const global = (globalThis as { gc?: Collect }).gc;
  if (global) return (collect = global);
  setFlagsFromString('--expose-gc');
  return (collect = runInNewContext('gc') as Collect);
}

function committedMb(space?: string): number {
  const spaces = getHeapSpaceStatistics().filter((s) => space === undefined || s.space_name === space);
  return Math.round(spaces.reduce((sum, s) => sum + s.space_size, 0) / 2 ** 20);
}

/**
 * Building the application (loading ~2,000 modules, the OpenAPI document, the first-start bootstrap) keeps enough
 * alive between collections that V8 grows its young generation to the maximum, two 64 MiB semi-spaces with Node's
 * defaults on a machine with this much memory, and keeps them committed while only a few MiB of them are used: about
 * 120 MiB of RSS doing nothing. One memory-reducing full collection, once, before the listener opens, gives them
 * back (and compacts the old space start-up left behind). Under load V8 grows the young generation again as far as
 * the allocation rate asks, so request handling keeps the default sizes; `--max-semi-space-size` would instead cap
 * it for good and cost CPU on every request.
 */
export function trimHeapAfterStart(): HeapTrim {
  const started = performance.now();
  const beforeMb = committedMb();
  const youngBeforeMb = committedMb('new_space');
  collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { beforeMb, afterMb: committedMb(), youngBeforeMb, youngAfterMb: committedMb('new_space'), ms: Math.round(performance.now() - started) };
}
