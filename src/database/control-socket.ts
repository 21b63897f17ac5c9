import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/hub-config';

/**
 * The embedded database belongs to the one process holding DATA_DIR's lock. CLI commands that need it while the hub
 * runs (backup, the admin commands) ask that process over a Unix socket in DATA_DIR instead of opening the database a
 * second time. The socket is created with the process's umask (0077 in embedded mode, see restrictDataDir): whoever
 * can connect can read DATA_DIR anyway, so the file mode is the access check.
 *
 * Protocol: one JSON request line `{command, args}`; one JSON answer line `{ok, exitCode?, error?, length}` followed by
 * `length` bytes of payload (a backup's bytes, or a command's printed output).
 */
export const CONTROL_SOCKET = 'hub.sock';

export interface ControlAnswer {
  exitCode: number;
  payload: Buffer;
}

export type ControlHandler = (args: string[]) => Promise<ControlAnswer>;

export function controlSocketPath(dataDir: string): string {
  return join(resolve(dataDir), CONTROL_SOCKET);
}

/** Serves `handlers` on DATA_DIR's control socket; the caller holds DATA_DIR's lock, so a leftover socket file is stale. */
export async function startControlSocket(dataDir: string, handlers: Record<string, ControlHandler>): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => serve(socket, handlers));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(path, () => {
      server.off('error', fail);
      ok();
    });
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        rmSync(path, { force: true });
      }),
  };
}

function serve(socket: Socket, handlers: Record<string, ControlHandler>): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const newline = buffered.indexOf('\n');
    if (newline < 0) {
      if (buffered.length > 64 * 1024) socket.destroy();
      return;
    }
    socket.off('data', onData);
    void answer(socket, buffered.slice(0, newline), handlers);
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

async function answer(socket: Socket, line: string, handlers: Record<string, ControlHandler>): Promise<void> {
  let header: Record<string, unknown>;
  let payload: Buffer = Buffer.alloc(0);
  try {
    const request = JSON.parse(line) as { command?: unknown; args?: unknown };
    const handler = typeof request.command === 'string' ? handlers[request.command] : undefined;
    if (!handler) throw new Error(`unknown command ${String(request.command)}`);
    const args = Array.isArray(request.args) ? request.args.map(String) : [];
    const result = await handler(args);
    payload = result.payload;
    header = { ok: true, exitCode: result.exitCode, length: payload.length };
  } catch (err) {
    header = { ok: false, error: (err as Error).message, length: 0 };
  }
  socket.end(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]));
}

/** Asks the process holding DATA_DIR (pid `holder`) to run a command; its answer, or a ConfigError saying what to do. */
export function askRunningHub(dataDir: string, holder: number, command: string, args: string[] = [], timeoutMs = 120_000): Promise<ControlAnswer> {
  const path = controlSocketPath(dataDir);
  return new Promise((ok, fail) => {
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify({ command, args })}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(
        new ConfigError(
          [`DATA_DIR: ${resolve(dataDir)} is held by pid ${holder}, which does not answer on ${path} (${err.code ?? err.message})`],
          'Stop that process and run the command again (it then opens the embedded database itself).',
        ),
      );
    });
    socket.on('end', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(10);
      if (newline < 0) return fail(new Error(`the hub (pid ${holder}) closed the control socket without an answer`));
      const header = JSON.parse(all.subarray(0, newline).toString('utf8')) as { ok: boolean; exitCode?: number; error?: string; length: number };
      if (!header.ok) return fail(new Error(`the hub (pid ${holder}) answered: ${header.error}`));
      const payload = all.subarray(newline + 1);
      if (payload.length !== header.length) return fail(new Error(`the hub (pid ${holder}) sent ${payload.length} of ${header.length} bytes`));
      ok({ exitCode: header.exitCode ?? 0, payload });
    });
  });
}
