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
export const organizationRequired = () =>
  new HubError(ErrorCode.OrganizationRequired, 'X-Organization-Id header is required: your user belongs to several organizations or none');
/** Organizations and projects the caller cannot see answer the same as those that do not exist. */
export const organizationNotFound = (attr?: string) => new HubError(ErrorCode.OrganizationNotFound, 'Organization not found', { attr });
export const projectNotFound = () => new HubError(ErrorCode.ProjectNotFound, 'Project not found');
