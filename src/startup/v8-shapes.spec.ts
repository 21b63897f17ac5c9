import { transformSync } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepTickShapesAlive } from './v8-shapes';

/**
 * A child Node process loads v8-shapes.ts (compiled here), runs what start-up does to process.nextTick (ticks, then
 * full collections while the queue is empty, then ticks again) and prints the state of nextTick's inline caches with
 * V8's `%DebugPrint`: one line per feedback slot, e.g. `slot #58 DefineKeyedOwnPropertyInLiteral MEGAMORPHIC`.
 * Answers the state of each of the literal's defining caches as V8 names it (MONOMORPHIC, POLYMORPHIC, MEGAMORPHIC).
 */
function nextTickCachesAfterCollections(keep: boolean): string[] {
  const source = readFileSync(join(__dirname, 'v8-shapes.ts'), 'utf8');
  const { code } = transformSync(source, { filename: 'v8-shapes.ts', jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  const script = `
const module = { exports: {} };
new Function('module', 'exports', 'require', ${JSON.stringify(code)})(module, module.exports, require);
// fs.writeSync, not process.stdout: the stream would make stdout non-blocking and V8's print below could be lost.
if (${keep}) require('fs').writeSync(2, 'kept ' + module.exports.keepTickShapesAlive() + ', init hooks left ' + require('internal/async_hooks').initHooksExist() + '\\n');
(async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => process.nextTick(r));
  for (let round = 0; round < 8; round++) {
    await new Promise(setImmediate);
    globalThis.gc();
    for (let i = 0; i < 20; i++) await new Promise((r) => process.nextTick(r));
  }
  new Function('f', '%DebugPrint(f)')(process.nextTick);
})();
`;
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--expose-internals', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status).toBe(0);
  const lines = child.stdout.split('\n');
  if (keep) expect(child.stderr.split('\n')).toContain('kept true, init hooks left false');
  return lines.flatMap((l) => /slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/.exec(l)?.[1] ?? []);
}

describe('keepTickShapesAlive', () => {
  it("keeps process.nextTick's object-literal caches monomorphic through full collections with an empty queue", () => {
    const without = nextTickCachesAfterCollections(false);
    const kept = nextTickCachesAfterCollections(true);
    // nextTick's literal has five keys: five defining caches, each read from V8's own report.
    expect(without).toHaveLength(5);
    expect(kept).toHaveLength(5);
    // Without it (Node 24): the collections free the literal's classes and the caches end megamorphic. A Node that no
    // longer does this fails here: the workaround can then go.
    expect(without).toContain('MEGAMORPHIC');
    expect(kept).toEqual(Array(5).fill('MONOMORPHIC'));
  });

  it('holds one entry, once', () => {
    expect(keepTickShapesAlive()).toBe(true);
    expect(keepTickShapesAlive()).toBe(true);
  });
});
