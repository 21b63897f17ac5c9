import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from test/support (jest) as from dist/test/support (the compiled benchmarks). */
function repositoryRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = repositoryRoot(__dirname);
export const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');

/** `npm test` builds before jest runs; a bare `jest` run builds here if needed. */
export function ensureBuilt(): void {
  if (!existsSync(MAIN_JS)) execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export interface HubProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The V8 flags `npm start` passes (package.json): the embedded PGlite's WebAssembly stays on V8's baseline
 * compiler and the young generation stays small, which keeps an embedded hub near 230 MB instead of ~400 MB on
 * Node 24. Tests start hubs the way `npm start` does.
 */
export const HUB_NODE_FLAGS = ['--liftoff-only', '--max-semi-space-size=4'];

/** The Node flags of the container image's command (the Dockerfile's CMD; `image-command.spec.ts` holds them equal). */
export const IMAGE_NODE_FLAGS = ['--max-semi-space-size=16'];

export interface SpawnHubOptions {
  /** Write the hub's output to this file instead of a pipe (a benchmark then spends nothing reading logs). */
  logFile?: string;
  /** Node flags before the script; default `npm start`'s (HUB_NODE_FLAGS). */
  nodeFlags?: string[];
}

/** Spawns `node dist/src/main.js` (built first if needed) from the repository root with only PATH and `env` set. */
export function spawnHub(env: Record<string, string>, opts: SpawnHubOptions = {}): ChildProcess {
  ensureBuilt();
  const fd = opts.logFile === undefined ? undefined : openSync(opts.logFile, 'w');
  return spawn(process.execPath, [...(opts.nodeFlags ?? HUB_NODE_FLAGS), MAIN_JS], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
}

/**
 * Starts `node dist/src/main.js` with `npm start`'s flags and waits until it reports its URL: the API's, or with
 * HUB_ROLE=worker the worker's health and metrics listener. Needs LOG_LEVEL info or lower.
 */
export async function startHubProcess(env: Record<string, string>, timeoutMs = 30000): Promise<HubProcess> {
  const child = spawnHub(env);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      // JSON logs (`"url":"..."`) or LOG_FORMAT=pretty (`url=...`).
      const m = out.match(/"url":"(http:\/\/[^"]+)"|\burl=(http:\/\/[^\s"]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[2]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export interface ExitedProcess {
  code: number | null;
  output: string;
  /** From spawn to exit. */
  ms: number;
}

/** Runs `node <script> [args]` (default: the built hub) until it exits by itself; fails after `timeoutMs`. */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 30000, args: string[] = [MAIN_JS]): Promise<ExitedProcess> {
  ensureBuilt();
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}
