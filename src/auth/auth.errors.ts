import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

/** The same answer for every missing, malformed, unknown, revoked or expired key. */
export const unauthenticated = () => new HubError(ErrorCode.Unauthenticated, 'Invalid or missing API key', { headers: { 'WWW-Authenticate': 'Bearer' } });
/** No Authorization header at all: the hub's face answers exactly as for a bad key; PostHog and Infisical tell them apart. */
export const credentialsMissing = () => new HubError(ErrorCode.CredentialsMissing, 'Invalid or missing API key', { headers: { 'WWW-Authenticate': 'Bearer' } });
export const tooManyFailedAuthentications = (retryAfterSeconds: number) =>
  new HubError(ErrorCode.RateLimited, 'Too many failed authentication attempts; retry later', { headers: { 'Retry-After': String(retryAfterSeconds) } });
export const routeNotDeclared = () => new HubError(ErrorCode.RouteNotDeclared, 'This route has no access declaration');
export const missingScope = (scope: string) => new HubError(ErrorCode.MissingScope, `API key missing required scope '${scope}'`);
export const missingPermission = (permission: string) => new HubError(ErrorCode.MissingPermission, `Requires the ${permission} permission`);
export const missingRole = (role: string) => new HubError(ErrorCode.MissingRole, `Requires the ${role} role or higher`);
/** Names every way out: the header per request, or a key pinned to (or created in) one organization. */
export const organizationRequired = (organizationIds: string[]) =>
  new HubError(
    ErrorCode.OrganizationRequired,
    organizationIds.length === 0
      ? 'Your user belongs to no organization: accept an invite or create one (POST /api/organizations)'
      : `This key names no organization and your user belongs to ${organizationIds.length}: send the header X-Organization-Id: <id> ` +
        `(one of ${organizationIds.join(', ')}; GET /api/organizations lists them), or use a key pinned to one ` +
        '(POST /api/personal_api_keys with scoped_organization_id) or created for one (default_organization_id)',
    { details: { header: 'X-Organization-Id', organization_ids: organizationIds } },
  );
/** Organizations and projects the caller cannot see answer the same as those that do not exist. */
export const organizationNotFound = (attr?: string) => new HubError(ErrorCode.OrganizationNotFound, 'Organization not found', { attr });
export const projectNotFound = () => new HubError(ErrorCode.ProjectNotFound, 'Project not found');
