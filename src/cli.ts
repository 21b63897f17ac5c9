import { runRotateKeys } from './common/rotate-keys.command';
import { runBackup, runRestore } from './database/backup.command';
import { runAdmin } from './organizations/admin.command';
import { ConfigError } from './config/hub-config';
import { runDomainConnectKeygen } from './domain-connect/keygen.command';
import { runDoctor } from './startup/doctor.command';

type Print = (line: string) => void;

/** `npm run cli -- <command> [args]`: one entry per command; each command lives in its module's folder. A command may return its exit code. */
const COMMANDS: Record<string, { summary: string; run: (args: string[], env: NodeJS.ProcessEnv, out: Print) => void | number | Promise<void | number> }> = {
  doctor: { summary: 'Check the configuration, PostgreSQL, Redis, stored secrets, providers and SITE_URL without starting', run: (_args, env, out) => runDoctor(env, out) },
  'rotate-keys': { summary: 'Re-seal every sealed secret with the first key of ENCRYPTION_KEYS', run: (_args, env, out) => runRotateKeys(env, out) },
  backup: { summary: 'Write a backup of the embedded database to <file> (online: a running hub takes it)', run: (args, env, out) => runBackup(args, env, out) },
  restore: { summary: 'Replace the embedded database with a backup <file> [--force] (the hub must be stopped)', run: (args, env, out) => runRestore(args, env, out) },
  admin: { summary: 'List organizations and users, create an owner key, revoke keys (`admin help`)', run: (args, env, out) => runAdmin(args, env, out) },
  'domain-connect:keygen': { summary: 'Create a Domain Connect signing key pair and print its TXT records', run: (args, _env, out) => runDomainConnectKeygen(args, out) },
};

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, out: Print = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    out(`Usage: npm run cli -- <command>\n\nCommands:\n${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(24)}${c.summary}`).join('\n')}`);
    return name ? 2 : 0;
  }
  return (await command.run(args, env, out)) ?? 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${process.argv[2]} failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
