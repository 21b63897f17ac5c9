import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, ErrorCode } from '../common/error-codes';
import { renderError } from '../common/error-faces';

/** What a worker process (HUB_ROLE=worker) serves over HTTP: its probes and metrics, none of the API. */
export const WORKER_ROUTES: ReadonlySet<string> = new Set(['/api/healthz', '/api/readyz', '/api/metrics']);

/** Answers 404 before routing for every route but the worker's, so a worker's listener is only a health endpoint. */
export function serveOnlyWorkerRoutes(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (WORKER_ROUTES.has(request.routeOptions.url ?? '')) return done();
    const message = `A worker process serves only ${[...WORKER_ROUTES].join(', ')}`;
    const { status, body } = renderError('hub', { status: ERROR_STATUS[ErrorCode.NotFound], code: ErrorCode.NotFound, message }, request.id);
    void reply.code(status).send(body);
  });
}
