/**
 * `node dist/bench/profile-top.js <file.cpuprofile> [N]`: the top self-time entries of a V8 CPU profile (as
 * written by `node --cpu-prof`), by function and by package, as shares of the sampled time. Idle and GC are
 * shown on their own lines; shares are of the busy samples (everything but `(idle)`). `--skip=<s>` leaves out the
 * first seconds (start and warm-up), `--until=<s>` the samples from then on.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (core)';
  if (url.includes('/dist/src/')) return 'hub (src)';
  return url ? 'other' : '(native)';
}

function main(): void {
  const args = process.argv.slice(2);
  const skipArg = args.find((a) => a.startsWith('--skip='));
  const untilArg = args.find((a) => a.startsWith('--until='));
  const [file, n] = args.filter((a) => !a.startsWith('--'));
  const top = Number(n ?? 30);
  // --skip=<seconds>: leave out the samples of the first seconds (the start, the warm-up).
  const skipMicros = skipArg ? Number(skipArg.slice('--skip='.length)) * 1e6 : 0;
  // --until=<seconds>: and those after (the next run).
  const untilMicros = untilArg ? Number(untilArg.slice('--until='.length)) * 1e6 : Infinity;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= skipMicros && at < untilMicros) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
    const key = `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + micros);
    const o = functionName.startsWith('(') ? functionName : owner(url);
    pkg.set(o, (pkg.get(o) ?? 0) + micros);
  }
  const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
  console.log(`busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s\n\nself time by package:`);
  for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\nself time by function:');
  for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
}

main();
