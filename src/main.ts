import { createLogger, flushLogger } from './common/logger';
import { ConfigError, loadConfig } from './config/hub-config';
import { disablePretenuring } from './startup/v8-heap';
import { keepTickShapesAlive } from './startup/v8-shapes';
import { waitForHubDependencies } from './startup/wait-for-dependencies';

async function main(): Promise<void> {
  // Before start-up's full collections: process.nextTick's inline caches stay monomorphic (v8-shapes.ts).
  keepTickShapesAlive();
  // Before the framework's modules load: request garbage stays in the young generation (v8-heap.ts).
  disablePretenuring();
  // The settings and the database and Redis are checked before the framework loads, so a wrong setting is
  // reported within a moment.
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.logFormat);
  try {
    await waitForHubDependencies(config, logger);
  } finally {
    flushLogger(logger);
  }
  const { startHub } = await import('./bootstrap.js');
  const hub = await startHub(config, logger, { trimHeap: true });
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
  // A configuration or environment problem is the operator's to fix: its lines, no stack trace.
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Integrations Hub failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
