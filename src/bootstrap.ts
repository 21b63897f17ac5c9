import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { answerInCheckPhase, MAX_BODY_BYTES, registerJsonParser } from './common/body-parser';
import { badRequestPath, uriTooLong } from './common/common.errors';
import { CryptoModule } from './common/crypto.module';
import { loadKeyRing } from './common/encryption-keys';
import { FaceExceptionFilter, type FailedRequest, renderError } from './common/error-faces';
import { createAccessLog } from './common/access-log';
import { randomRequestId } from './common/request-id';
import { routeUrlOf } from './common/fastify-route';
import { installLeanRoutes } from './common/lean-routes';
import { serializeReply } from './common/preserialized';
import { createLogger, flushLogger, lazyRequestChildren, PinoNestLogger } from './common/logger';
import type { AuthedRequest } from './auth/authz.guard';
import { createValidationPipe } from './common/validation';
import { HubConfig, loadConfig } from './config/hub-config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { captured } from './database/cli-database';
import { startControlSocket } from './database/control-socket';
import { rotateKeys } from './common/rotate-keys.command';
import { KeyRing } from './common/sealed-secrets';
import { adminCommand } from './organizations/admin.command';
import { ApiKeysService } from './organizations/api-keys.service';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MetricsService } from './health/metrics.service';
import { startMetricsListener } from './health/metrics-access';
import { serveOnlyWorkerRoutes } from './health/worker-routes';
import { logStartSummary } from './startup/start-summary';
import { trimHeapAfterStart } from './startup/v8-heap';
import { waitForHubDependencies } from './startup/wait-for-dependencies';
import { buildOpenApiDocument } from './openapi/document';
import { BootstrapResult, BootstrapService } from './organizations/bootstrap.service';

export interface Hub {
  app: NestFastifyApplication;
  config: HubConfig;
  /** Base URL of the process's listener: the API (role api or all), or a worker's health and metrics. */
  url: string;
  /** Base URL of the METRICS_PORT listener (loopback, no token), when it is set. */
  metricsUrl?: string;
  /** What first-start bootstrap created, when the database was empty. */
  bootstrap: BootstrapResult | null;
  logger: Logger;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * GitHub Enterprise Server serves its REST API under `/api/v3`: the same routes answer there, so a client configured
 * with a GHES base URL (`<hub>/api/v3`) works unchanged. One prefix comparison per request.
 */
const GHES_PREFIX = '/api/v3/';
export function withoutGhesPrefix(url: string): string {
  return url.startsWith(GHES_PREFIX) ? `/api${url.slice(GHES_PREFIX.length - 1)}` : url;
}

/** Builds the app without listening: shared by the server, the OpenAPI generator and the tests. */
export async function createApp(config: HubConfig, logger: Logger, databaseUrl: string, embedded: boolean): Promise<NestFastifyApplication> {
  const keyRing = loadKeyRing(config, logger);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // No Nest middleware anywhere in the hub (guards, hooks and filters do that work): without @fastify/middie no
    // request runs its onRequest hook for nothing.
    skipMiddie: true,
    bodyLimit: MAX_BODY_BYTES,
    // One log line per request, written in onResponse below.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 256 },
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomRequestId();
    },
    trustProxy: config.trustProxy,
    rewriteUrl: (req: { url?: string }) => withoutGhesPrefix(req.url ?? '/'),
    // A client trickling its body (or headers, below) cannot hold a connection longer than this.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Node checks the timeouts this often (30 s by default, which would stretch short timeouts).
    http: { connectionsCheckingInterval: Math.min(5000, (config.requestTimeoutSeconds * 1000) / 2) },
    // Errors the router raises before any route or hook runs (undecodable path, overlong parameter): same body
    // and X-Request-Id as every other error.
    frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      const err = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? uriTooLong() : badRequestPath();
      const { status, body } = renderError('hub', { status: err.status, code: err.code, message: err.message }, String(request.id));
      void reply.header('x-request-id', request.id).status(status).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: class HubRootModule {},
      imports: [AppModule.forRoot(config, { databaseUrl, embedded }), CryptoModule.forRoot(keyRing)],
    },
    adapter,
    { logger: new PinoNestLogger(logger), abortOnError: false, bodyParser: false },
  );
  app.setGlobalPrefix('api');
  // Routes without interceptors run through a leaner copy of Nest's per-request pipeline (lean-routes.ts).
  const lean = installLeanRoutes(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new FaceExceptionFilter('hub'));

  const fastify = app.getHttpAdapter().getInstance();
  // `request.log` is made when something logs through it (logger.ts): nothing of the hub's does per request.
  lazyRequestChildren(fastify.log as Logger);
  fastify.server.headersTimeout = Math.ceil((config.requestTimeoutSeconds * 1000) / 3);
  registerJsonParser(fastify);
  // Before app.init(): each route takes the serializer in force when Nest registers it. Fastify's type says string;
  // its reply writes the Buffer of a long preserialized body as it is (content-length from its length).
  fastify.setReplySerializer(serializeReply as (payload: unknown) => string);
  // The public base URL, for the absolute `next` links of the hub's lists (src/common/pagination.ts).
  fastify.decorateRequest('hubSiteUrl', config.siteUrl);
  const metrics = app.get(MetricsService);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('x-request-id', request.id);
    // A request without a body is handled once the loop's poll phase has read every request it could (a body is
    // waited for the same way by the JSON parser): their answers leave together.
    answerInCheckPhase(request.raw, done);
  });
  // One line per request, built as one string (access-log.ts): the URL's secret-bearing query values masked, the
  // principal's user, organization and key ids when the request was authenticated (never the key).
  const accessLog = createAccessLog(logger);
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = routeUrlOf(request) ?? 'unmatched';
    const elapsed = reply.elapsedTime;
    const status = reply.statusCode;
    metrics.observeRequest(request.method, route, status, elapsed / 1000);
    // For a 5xx, the error's code and reason (an upstream failure names the host and why).
    accessLog({ reqId: String(request.id), method: request.method, url: request.url, route, status, ms: Math.round(elapsed * 10) / 10, ip: request.ip, principal: (request as AuthedRequest).user, failure: (request as FailedRequest).failure });
    done();
  });
  if (config.role === 'worker') serveOnlyWorkerRoutes(fastify);
  // A person who opens the hub's address lands on the documentation.
  fastify.get('/', (_request: FastifyRequest, reply: FastifyReply) => reply.redirect('/docs', 302));

  await app.init();
  logger.debug({ routes: lean.served.size }, 'routes served by the lean pipeline (no interceptor)');
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: '/api/openapi.json', customSiteTitle: 'Integrations Hub API' });
  return app;
}

/** Starts the hub from an environment: the one bootstrap path for `main.ts`, the tests and the benchmarks. */
export async function createHub(env: NodeJS.ProcessEnv = process.env): Promise<Hub> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, config.logFormat);
  await waitForHubDependencies(config, logger);
  return startHub(config, logger);
}

/**
 * Starts the hub once its configuration is valid and its PostgreSQL and Redis answer (`main.ts` checks both
 * before it loads the framework, so a wrong setting is reported within a moment).
 */
export async function startHub(config: HubConfig, logger: Logger, options: StartOptions = {}): Promise<Hub> {
  try {
    return await connectAndStart(config, logger, options);
  } finally {
    flushLogger(logger);
  }
}

export interface StartOptions {
  /**
   * Give back the heap start-up left behind before listening (v8-heap.ts): the process's own entry point does;
   * a hub started inside another program (the tests) leaves that program's heap alone.
   */
  trimHeap?: boolean;
}

async function connectAndStart(config: HubConfig, logger: Logger, options: StartOptions): Promise<Hub> {
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir);
    databaseUrl = embedded.url;
  }
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, logger, databaseUrl, embedded !== null);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const bootstrap = await app.get(BootstrapService).run();
  const control = embedded ? await startControl(app, config, embedded, logger) : null;
  // Start-up's garbage and its oversized young generation, returned before the first request (v8-heap.ts).
  if (options.trimHeap) logger.debug(trimHeapAfterStart(), 'heap trimmed after start');
  // A worker listens too, for its health check and metrics only (serveOnlyWorkerRoutes).
  await app.listen({ port: config.port, host: config.host });
  const url = await appUrl(app, config);
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metrics.port !== undefined) {
    try {
      metricsServer = await startMetricsListener(config.metrics.port, app.get(MetricsService), logger);
    } catch (err) {
      await app.close();
      await embedded?.stop();
      throw err;
    }
    metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}`;
    logger.info({ url: `${metricsUrl}/metrics` }, 'metrics served on loopback (METRICS_PORT)');
  }
  logStartSummary(logger, config, url);
  let closing: Promise<void> | null = null;
  return {
    app,
    config,
    url,
    metricsUrl,
    bootstrap,
    logger,
    close() {
      closing ??= (async () => {
        await control?.close();
        if (metricsServer) {
          const server = metricsServer;
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
        }
        await app.close();
        await embedded?.stop();
        flushLogger(logger);
      })();
      return closing;
    },
  };
}

/**
 * The embedded database's CLI commands (backup, admin, rotate-keys) run inside the process holding it, asked over
 * DATA_DIR's control socket (see control-socket.ts). A socket that cannot be created leaves those commands to a
 * stopped hub.
 */
async function startControl(app: NestFastifyApplication, config: HubConfig, embedded: EmbeddedPostgres, logger: Logger): Promise<{ close(): Promise<void> } | null> {
  const pool = (app.get(DataSource).driver as unknown as { master: Pool }).master;
  const keyRing = app.get(KeyRing);
  try {
    return await startControlSocket(config.dataDir, {
      backup: async () => ({ exitCode: 0, payload: await embedded.dump() }),
      admin: async (args) => {
        const answer = await captured((out) => adminCommand(pool, args, out));
        // A key revoked through the running hub stops working here at once.
        app.get(ApiKeysService).invalidateAll();
        return answer;
      },
      'rotate-keys': () => captured((out) => rotateKeys(pool, keyRing, out)),
    });
  } catch (err) {
    logger.warn(`control socket in ${config.dataDir} not available (${(err as Error).message}): backup and admin commands need the hub stopped`);
    return null;
  }
}

async function appUrl(app: INestApplication, config: HubConfig): Promise<string> {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}
