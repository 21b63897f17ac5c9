import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/hub-config';
import { metricsNotEnabled, metricsTokenInvalid } from './health.errors';
import type { MetricsService } from './metrics.service';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Who may read `/api/metrics` on the main listener: the bearer of METRICS_TOKEN, and nobody when it is unset. */
export class MetricsAccess {
  private readonly expected?: Buffer;

  constructor(private readonly config: HubConfig['metrics']) {
    if (config.token) this.expected = digest(config.token);
  }

  /** Throws unless the Authorization header carries the metrics token (compared in constant time). */
  check(authorization: string | undefined): void {
    if (!this.expected) throw metricsNotEnabled(this.config.port);
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) throw metricsTokenInvalid();
  }
}

/**
 * The METRICS_PORT listener: plain `node:http` on 127.0.0.1, GET `/metrics` or `/api/metrics`, no token (only
 * processes on the host reach it). Resolves with the listening server.
 */
export async function startMetricsListener(port: number, metrics: MetricsService, logger: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/api/metrics')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => {
        logger.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
