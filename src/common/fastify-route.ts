import type { FastifyRequest } from 'fastify';
import { kRouteContext } from 'fastify/lib/symbols';

interface RouteContext {
  config?: { url?: string; [key: string]: unknown };
}

/**
 * The route a request matched, read from Fastify's route context: `request.routeOptions` builds a fresh object
 * of twelve fields (and looks up the version strategy) on every read, twice a request on the hot paths. Falls back
 * to it should the context ever move.
 */
export function routeConfigOf(request: FastifyRequest): RouteContext['config'] {
  const context = (request as unknown as Record<symbol, RouteContext | undefined>)[kRouteContext];
  return context ? context.config : (request.routeOptions.config as unknown as RouteContext['config']);
}

/** The matched route's template (`/api/installations/:installation_id/access_tokens`), or undefined when none matched. */
export function routeUrlOf(request: FastifyRequest): string | undefined {
  return routeConfigOf(request)?.url;
}
