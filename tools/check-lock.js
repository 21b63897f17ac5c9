#!/usr/bin/env node
// Fails when package-lock.json would not install on every platform: `npm ci` refuses a lock in which a locked
// package's dependency (other platforms' optional binaries included, e.g. @swc/core-darwin-arm64) has no entry,
// and a lock without integrity hashes is not reproducible. npm drops those entries when it writes a lock from an
// existing node_modules, so run this after every dependency change (`npm run lock` repairs a lock).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Why `npm ci` would refuse (or not reproduce) this lock on some platform; empty when it installs everywhere. */
function lockProblems(manifest, lock) {
  const packages = lock.packages ?? {};
  /** The lock entry Node's resolution finds for `name` required from the package at `from` ('' is the root). */
  const resolve = (from, name) => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return null;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent === -1 ? '' : base.slice(0, parent);
    }
  };
  const problems = [];
  if (lock.lockfileVersion !== 3) problems.push(`lockfileVersion is ${lock.lockfileVersion}, expected 3`);
  const rootEntry = packages[''] ?? {};
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const declared = manifest[field] ?? {};
    const locked = rootEntry[field] ?? {};
    for (const name of new Set([...Object.keys(declared), ...Object.keys(locked)])) {
      if (declared[name] !== locked[name]) problems.push(`package.json ${field}.${name} is ${declared[name]} but the lock has ${locked[name]}`);
    }
  }
  for (const [path, entry] of Object.entries(packages)) {
    if (path !== '' && !entry.link && !entry.integrity) problems.push(`${path} has no integrity hash`);
    for (const field of ['dependencies', 'optionalDependencies', ...(path === '' ? ['devDependencies'] : [])]) {
      for (const name of Object.keys(entry[field] ?? {})) {
        if (!resolve(path, name)) problems.push(`${path || 'the root'} needs ${name} (${field}), which has no lock entry`);
      }
    }
  }
  return problems;
}

module.exports = { lockProblems };

if (require.main === module) {
  const root = join(__dirname, '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const problems = lockProblems(manifest, lock);
  if (problems.length > 0) {
    console.error(`package-lock.json is not installable everywhere:\n  ${problems.join('\n  ')}\nRun \`npm run lock\` and commit the lock.`);
    process.exit(1);
  }
  console.log(`package-lock.json: ${Object.keys(lock.packages).length - 1} packages, every platform's optional packages locked`);
}
