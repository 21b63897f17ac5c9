import type { OrgPrincipal } from '../../src/auth/principal';
import { OrgRole } from '../../src/auth/roles';
import { GithubProviderAdapter } from '../../src/github/github-provider.adapter';
import type { TestHub } from './hub-harness';
import { http } from './http';
import { poll } from './poll';

/** A principal for calling the GitHub adapter directly (see `connectThroughAdapter`). */
export function principalFor(t: TestHub, organizationId = t.organizationId, userId = t.userId, role = OrgRole.Owner): OrgPrincipal {
  return { userId, email: 'owner@example.test', name: 'Owner', userCreatedAt: new Date(0).toISOString(), keyId: 'test', scopes: ['*'], pinnedOrganizationId: null, defaultOrganizationId: null, memberships: new Map([[organizationId, role]]), organizationId, role };
}

export interface ConnectedInstallation {
  kind: 'connected';
  integration: { id: string; provider: string; displayName: string; projectId: string | null; status: string };
}

/**
 * Connects an installation to an organization the way a client does: `POST /api/integrations/github/connect` on
 * the workspace face (as the bootstrap owner). Rejects with `{ status, code, message }` when the hub refuses.
 *
 * With a `projectId` it goes through the adapter instead: over HTTP a project is connected only by GitHub's install
 * flow, which needs a user OAuth code and links that user as a side effect the suites do not want.
 */
export async function connectInstallation(t: TestHub, installationId: number, accountLogin: string, organizationId = t.organizationId, projectId: string | null = null): Promise<ConnectedInstallation> {
  if (projectId !== null) return (await connectThroughAdapter(t, installationId, accountLogin, organizationId, projectId)) as ConnectedInstallation;
  const res = await http(t.url, 'POST', '/api/integrations/github/connect', {
    key: t.key,
    headers: { 'x-organization-id': organizationId },
    body: { installationId: String(installationId), accountLogin },
  });
  if (res.status !== 200 || !res.body?.connected) {
    throw Object.assign(new Error(`connecting installation ${installationId}: ${res.status} ${res.text}`), { status: res.status, code: res.body?.code, detail: res.body?.message ?? res.body?.detail });
  }
  return { kind: 'connected', integration: res.body.integration };
}

/** The GitHub adapter's own connect (its result carries the entity and `created`): for tests of the adapter itself. */
export function connectThroughAdapter(t: TestHub, installationId: number, accountLogin: string, organizationId = t.organizationId, projectId: string | null = null) {
  return t.hub.app.get(GithubProviderAdapter).connect({ principal: principalFor(t, organizationId), projectId }, { installationId, accountLogin });
}

export function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  return poll(probe, { timeoutMs });
}
