import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_NODE_FLAGS, ROOT } from '../test/support/process';

/**
 * The benchmarks run the hub with the container image's Node flags (bench/support.ts benchNodeFlags): they must be
 * the flags the Dockerfile's CMD runs it with, or the figures describe a process nobody deploys.
 */
describe('the container image command', () => {
  it('runs dist/src/main.js with IMAGE_NODE_FLAGS, in exec form', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(['node', ...IMAGE_NODE_FLAGS, 'dist/src/main.js']);
  });
});
