import { http } from './http';
import type { TestHub } from './hub-harness';

export interface TestUser {
  userId: string;
  key: string;
  email: string;
}

let counter = 0;

/** Invites a new user into an organization with a role and accepts the invite: returns their first key. */
export async function addUser(t: TestHub, role: 'owner' | 'admin' | 'member', organizationId = t.organizationId, inviterKey = t.key): Promise<TestUser> {
  const email = `user${++counter}.${Date.now()}@example.test`;
  const invite = await http(t.url, 'POST', `/api/organizations/${organizationId}/invites`, { key: inviterKey, body: { email, role } });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${invite.text}`);
  const accepted = await http(t.url, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: `User ${counter}` } });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return { userId: accepted.body.user.id, key: accepted.body.personal_api_key.value, email };
}

/** Creates a second organization owned by the bootstrap owner and returns its id and default project. */
export async function addOrganization(t: TestHub, name = 'Other org', key = t.key): Promise<{ organizationId: string; projectId: string }> {
  const org = await http(t.url, 'POST', '/api/organizations', { key, body: { name } });
  if (org.status !== 201) throw new Error(`create org failed: ${org.status} ${org.text}`);
  const projects = await http(t.url, 'GET', `/api/organizations/${org.body.id}/projects`, { key, headers: { 'x-organization-id': org.body.id } });
  if (projects.status !== 200) throw new Error(`list projects failed: ${projects.status} ${projects.text}`);
  return { organizationId: org.body.id, projectId: projects.body.results[0].id };
}

/** A key for the same user restricted to some scopes. */
export async function keyWithScopes(t: TestHub, scopes: string[], key = t.key, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await http(t.url, 'POST', '/api/personal_api_keys', { key, body: { label: `scoped ${scopes.join(',')}`, scopes, ...extra } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return res.body.value;
}
