import { runDomainConnectKeygen } from './domain-connect/keygen.command';

/** `npm run cli -- <command> [args]`: one entry per command; each command lives in its module's folder. */
const COMMANDS: Record<string, { summary: string; run: (args: string[]) => void | Promise<void> }> = {
  'domain-connect:keygen': { summary: 'Create a Domain Connect signing key pair and print its TXT records', run: runDomainConnectKeygen },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`Usage: npm run cli -- <command>\n\nCommands:\n${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(24)}${c.summary}`).join('\n')}`);
    return name ? 2 : 0;
  }
  await command.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
