import { OrgRole } from './roles';

/** The authenticated caller, resolved by the guard and passed explicitly to services. */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  userCreatedAt: string;
  keyId: string;
  /** SHA-256 of the key this request presented (never logged or returned): lets a key roll itself atomically. */
  keyHash?: string;
  scopes: string[];
  /** Organization the key is pinned to, if any. */
  pinnedOrganizationId: string | null;
  /** Organization the key was created in: used when the request names none and the user has several. */
  defaultOrganizationId: string | null;
  /** userId's memberships: organization id -> role. */
  memberships: ReadonlyMap<string, OrgRole>;
  /** Set when the route is organization-scoped. */
  organizationId?: string;
  role?: OrgRole;
  /** Set when the route is project-scoped. */
  projectId?: string;
  /** The request's id and the client's address (TRUST_PROXY decides which): set by the guard, for the audit log. */
  requestId?: string;
  ip?: string;
}

/** A principal inside an organization: what organization-scoped services receive. */
export type OrgPrincipal = Principal & { organizationId: string; role: OrgRole };
