import { ConfigError } from './config/hub-config';
import { createHub } from './bootstrap';

async function main(): Promise<void> {
  const hub = await createHub(process.env);
  const shutdown = (signal: string) => {
    hub.logger.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    hub.close().then(
      () => process.exit(0),
      (err: Error) => {
        hub.logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Integrations Hub failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
