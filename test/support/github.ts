import type { OrgPrincipal } from '../../src/auth/principal';
import { OrgRole } from '../../src/auth/roles';
import { GithubProviderAdapter } from '../../src/github/github-provider.adapter';
import type { TestHub } from './hub-harness';
import { poll } from './poll';

/** A principal for calling services directly (the workspace face's connect controller is not ours). */
export function principalFor(t: TestHub, organizationId = t.organizationId, userId = t.userId, role = OrgRole.Owner): OrgPrincipal {
  return { userId, email: 'owner@example.test', name: 'Owner', userCreatedAt: new Date(0).toISOString(), keyId: 'test', scopes: ['*'], pinnedOrganizationId: null, defaultOrganizationId: null, memberships: new Map([[organizationId, role]]), organizationId, role };
}

/** Connects an installation to an organization through the GitHub adapter, as the workspace face will. */
export function connectInstallation(t: TestHub, installationId: number, accountLogin: string, organizationId = t.organizationId, projectId: string | null = null) {
  return t.hub.app.get(GithubProviderAdapter).connect({ principal: principalFor(t, organizationId), projectId }, { installationId, accountLogin });
}

export function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  return poll(probe, { timeoutMs });
}
