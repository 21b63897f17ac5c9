import type { RateLimitHeaders } from '../github/github-client.service';

/**
 * What a scan cost in GitHub's own terms: GraphQL points as GitHub reports each query's cost (`rateLimit.cost`),
 * REST calls that counted against the rate limit and conditional ones GitHub answered 304 (which do not), and the
 * budget left per resource as the last `x-ratelimit-remaining` header said.
 */
export interface ScanCost {
  graphqlRequests: number;
  graphqlPoints: number;
  restCalls: number;
  restNotModified: number;
  /** Of those REST requests (counted or 304), the ones made per repository (webhooks): outside the bulk first pass. */
  restPerRepository: number;
  /** Resource (`graphql`, `core`) → remaining budget in the last response that reported it. */
  remaining: Record<string, number>;
}

export const noCost = (): ScanCost => ({ graphqlRequests: 0, graphqlPoints: 0, restCalls: 0, restNotModified: 0, restPerRepository: 0, remaining: {} });

export const requestsOf = (c: ScanCost) => c.graphqlRequests + c.restCalls + c.restNotModified;

export function addCost(into: ScanCost, more: ScanCost): ScanCost {
  into.graphqlRequests += more.graphqlRequests;
  into.graphqlPoints += more.graphqlPoints;
  into.restCalls += more.restCalls;
  into.restNotModified += more.restNotModified;
  into.restPerRepository += more.restPerRepository ?? 0;
  Object.assign(into.remaining, more.remaining);
  return into;
}

/** Records one response's rate-limit headers (the remaining budget of its resource). */
export function noteRateLimit(cost: ScanCost, rateLimit: RateLimitHeaders | null): void {
  if (rateLimit && Number.isFinite(rateLimit.remaining)) cost.remaining[rateLimit.resource] = rateLimit.remaining;
}
