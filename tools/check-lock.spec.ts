import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { lockProblems } = require('./check-lock.js') as { lockProblems(manifest: object, lock: object): string[] };

const root = join(__dirname, '..');
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** A two-package lock: `a` needs `b` and, on another platform, `b-darwin`. */
function lock(packages: Record<string, object>) {
  return { lockfileVersion: 3, packages: { '': { dependencies: { a: '^1.0.0' } }, ...packages } };
}
const manifest = { dependencies: { a: '^1.0.0' } };
const a = { version: '1.0.0', integrity: 'sha512-a', dependencies: { b: '^2.0.0' }, optionalDependencies: { 'b-darwin': '2.0.0' } };
const b = { version: '2.0.0', integrity: 'sha512-b' };
const bDarwin = { version: '2.0.0', integrity: 'sha512-bd', optional: true, os: ['darwin'] };

describe('lock check', () => {
  it('accepts the committed lock', () => {
    expect(lockProblems(read('package.json'), read('package-lock.json'))).toEqual([]);
  });

  it('accepts a lock where every dependency resolves, nested or hoisted', () => {
    expect(lockProblems(manifest, lock({ 'node_modules/a': a, 'node_modules/b': b, 'node_modules/a/node_modules/b-darwin': bDarwin }))).toEqual([]);
  });

  it("names another platform's optional package that npm dropped", () => {
    expect(lockProblems(manifest, lock({ 'node_modules/a': a, 'node_modules/b': b }))).toEqual([
      'node_modules/a needs b-darwin (optionalDependencies), which has no lock entry',
    ]);
  });

  it('does not resolve into a sibling package', () => {
    const problems = lockProblems(manifest, lock({ 'node_modules/a': a, 'node_modules/c/node_modules/b': b, 'node_modules/b-darwin': bDarwin }));
    expect(problems).toEqual(['node_modules/a needs b (dependencies), which has no lock entry']);
  });

  it('names entries without integrity and a package.json the lock does not match', () => {
    const problems = lockProblems({ dependencies: { a: '^1.1.0' } }, lock({ 'node_modules/a': a, 'node_modules/b': { version: '2.0.0' }, 'node_modules/b-darwin': bDarwin }));
    expect(problems).toEqual(['package.json dependencies.a is ^1.1.0 but the lock has ^1.0.0', 'node_modules/b has no integrity hash']);
  });
});
