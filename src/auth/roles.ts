/** Organization roles, strongest first. */
export enum OrgRole {
  Owner = 'owner',
  Admin = 'admin',
  Member = 'member',
}

export const ROLE_RANK: Record<OrgRole, number> = { [OrgRole.Owner]: 3, [OrgRole.Admin]: 2, [OrgRole.Member]: 1 };

export function roleAtLeast(role: OrgRole, required: OrgRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

/** Permissions named by the APIs we mirror; each maps to the lowest role that holds it. */
export enum Permission {
  ManageOrganization = 'MANAGE_ORGANISATION',
}

export const PERMISSION_MIN_ROLE: Record<Permission, OrgRole> = {
  [Permission.ManageOrganization]: OrgRole.Admin,
};

export enum ApiScope {
  All = '*',
  IntegrationRead = 'integration:read',
  IntegrationWrite = 'integration:write',
  OrganizationRead = 'organization:read',
  OrganizationWrite = 'organization:write',
  ProjectRead = 'project:read',
  ProjectWrite = 'project:write',
  PersonalApiKeyRead = 'personal_api_key:read',
  PersonalApiKeyWrite = 'personal_api_key:write',
}

export const CONCRETE_SCOPES: ApiScope[] = Object.values(ApiScope).filter((s) => s !== ApiScope.All);

/** Whether a set of granted scopes covers a required one (`*` covers all; `x:write` covers `x:read`). */
export function scopesCover(granted: readonly string[], required: string): boolean {
  if (granted.includes(ApiScope.All) || granted.includes(required)) return true;
  if (required.endsWith(':read')) return granted.includes(required.replace(/:read$/, ':write'));
  return false;
}

/** The most a user of a role may hold; keys only narrow it. */
export const ROLE_SCOPE_CEILING: Record<OrgRole, readonly ApiScope[]> = {
  [OrgRole.Owner]: CONCRETE_SCOPES,
  [OrgRole.Admin]: CONCRETE_SCOPES,
  [OrgRole.Member]: [
    ApiScope.IntegrationRead,
    ApiScope.IntegrationWrite,
    ApiScope.OrganizationRead,
    ApiScope.ProjectRead,
    ApiScope.PersonalApiKeyRead,
    ApiScope.PersonalApiKeyWrite,
  ],
};

/** Expands `*` and implied reads into the concrete scopes a list grants. */
export function expandScopes(scopes: readonly string[]): Set<ApiScope> {
  return new Set(CONCRETE_SCOPES.filter((s) => scopesCover(scopes, s)));
}
