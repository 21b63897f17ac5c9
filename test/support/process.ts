import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');

/** `npm test` builds before jest runs; a bare `jest` run builds here if needed. */
export function ensureBuilt(): void {
  if (!existsSync(MAIN_JS)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export interface HubProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node dist/src/main.js` (what `npm start` runs) and waits until it reports its URL, or, with
 * HUB_ROLE=worker (which serves no HTTP), until it logs that the worker started (`url` is then empty).
 * Needs LOG_LEVEL info or lower.
 */
export async function startHubProcess(env: Record<string, string>, timeoutMs = 30000): Promise<HubProcess> {
  const worker = env.HUB_ROLE === 'worker';
  ensureBuilt();
  const child = spawn(process.execPath, [MAIN_JS], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = worker ? /worker started/.exec(out) : out.match(/"url":"(http:\/\/[^"]+)"/);
      if (m) {
        clearTimeout(timer);
        resolve(worker ? '' : m[1]);
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
