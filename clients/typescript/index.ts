import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths, components, operations } from './schema';

export interface HubClientOptions {
  /** Base URL of the hub, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** A personal API key (`ihk_...`). */
  apiKey?: string;
  /** For users in several organizations: which one the call is about. */
  organizationId?: string;
  fetch?: typeof fetch;
}

/** A typed client for internal services, generated from the hub's OpenAPI contract. */
export function createHubClient(options: HubClientOptions): Client<paths> {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.organizationId) headers['x-organization-id'] = options.organizationId;
  return createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
}
