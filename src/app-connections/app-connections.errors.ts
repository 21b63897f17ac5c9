import { HubError } from '../common/hub-error';

/** Domain errors of app connections; messages follow Infisical's where it has one. */
export const connectionNotFound = (id: string) => new HubError(404, 'APP_CONNECTION_NOT_FOUND', `Could not find App Connection with ID ${id}`);
export const connectionNameNotFound = (name: string) => new HubError(404, 'APP_CONNECTION_NOT_FOUND', `Could not find App Connection with name ${name}`);
export const duplicateConnectionName = (name: string) => new HubError(400, 'APP_CONNECTION_NAME_TAKEN', `An App Connection with the name "${name}" already exists`);
export const platformManagedNotSupported = () => new HubError(400, 'PLATFORM_MANAGED_NOT_SUPPORTED', 'Platform managed credentials are not supported for GitHub Connections');
export const hostNotAllowed = (host: string, reason: string) => new HubError(400, 'APP_CONNECTION_HOST_NOT_ALLOWED', `Host ${host} is not allowed: ${reason}`);
/** Rendered as 422 ValidationFailure by the Infisical face, like the schema errors. */
export const invalidCredentials = (message: string) => new HubError(400, 'VALIDATION_FAILED', message, undefined, 'credentials');
export const codeRejected = () => new HubError(400, 'GITHUB_CODE_INVALID', 'The GitHub authorization code is invalid or expired');
export const installationAccessDenied = () => new HubError(403, 'GITHUB_INSTALLATION_ACCESS_DENIED', 'User does not have access to the provided installation');
export const connectionInUse = (references: string[]) =>
  new HubError(400, 'APP_CONNECTION_IN_USE', `Cannot delete App Connection: it is referenced by ${references.join(', ')}. Remove these references and try again.`, { references });
export const versionConflict = (expected: number, actual: number) =>
  new HubError(409, 'APP_CONNECTION_VERSION_CONFLICT', `App Connection was modified concurrently: expected version ${expected}, it is at version ${actual}. Read it again and retry.`, { expected, actual });
export const invalidIfMatch = () => new HubError(400, 'VALIDATION_FAILED', 'If-Match must be the version number to update, e.g. "3"', undefined, 'If-Match');
export const gatewayChangeNeedsCredentials = () =>
  new HubError(400, 'APP_CONNECTION_CREDENTIALS_REQUIRED', 'Changing the gateway moves where the credentials are used: present them again (credentials with a fresh code) in the same update');
