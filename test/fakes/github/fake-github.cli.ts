import { FakeGithub } from './fake-github.server';

/** `npm run fake:github -- --port 0 --repos N [--installations M] [--latency-ms L]`: prints one JSON line, then serves. */
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

async function main(): Promise<void> {
  const fake = await new FakeGithub({
    port: arg('port', 0),
    repos: arg('repos', 5),
    installations: arg('installations', 1),
    latencyMs: arg('latency-ms', 0),
  }).start();
  const installation = fake.installation;
  process.stdout.write(`${JSON.stringify({ url: fake.url, installationId: installation.id, accountLogin: installation.account.login, env: fake.env })}\n`);
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
