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
 * the allocation rate asks and `--max-semi-space-size` allows: the container image caps it at 16 MiB a semi-space
 * (the Dockerfile's CMD), which measured no more CPU per request than V8's 64 MiB and ~80 MB less RSS under load.
 */
export function trimHeapAfterStart(): HeapTrim {
  const started = performance.now();
  const beforeMb = committedMb();
  const youngBeforeMb = committedMb('new_space');
  collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { beforeMb, afterMb: committedMb(), youngBeforeMb, youngAfterMb: committedMb('new_space'), ms: Math.round(performance.now() - started) };
}

/**
 * V8 allocates an object straight in the old generation when most objects from the same allocation site survived
 * recent scavenges (allocation-site pretenuring). Under load a request's objects all die within the request, but
 * while start-up and the first seconds of load decide, sites on the request path (the guard's per-request strategy
 * object, IncomingMessage, response headers, request ids) were marked for the old generation: from then on every
 * request left its garbage there, ~5 MB/s at 20,000 requests a second, for the next full collection to find (RSS
 * under load 290-450 MB, and still rising after a minute). Without it the young generation takes them, the old
 * generation stays at its start-up size and RSS under load stays near 240 MB; CPU per request did not move beyond
 * the runs' noise (bench/README.md, Memory). Call before the framework loads. An explicit choice in the process's
 * Node flags or NODE_OPTIONS is left alone.
 */
export function disablePretenuring(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  if ([...execArgv, nodeOptions].some((flag) => flag.includes('allocation-site-pretenuring') || flag.includes('allocation_site_pretenuring'))) return false;
  setFlagsFromString('--no-allocation-site-pretenuring');
  return true;
}

