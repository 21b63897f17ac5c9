import { validationFailed } from '../common/common.errors';
import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

/** Domain errors of app connections; messages follow Infisical's where it has one. */
export const connectionNotFound = (id: string) => new HubError(ErrorCode.AppConnectionNotFound, `Could not find App Connection with ID ${id}`);
export const connectionNameNotFound = (name: string, scope: 'organization' | 'project') =>
  new HubError(ErrorCode.AppConnectionNotFound, `Could not find App Connection with name ${name} in ${scope} scope.`);
export const duplicateConnectionName = (name: string) => new HubError(ErrorCode.AppConnectionNameTaken, `An App Connection with the name "${name}" already exists`);
export const hostNotAllowed = (host: string, reason: string) => new HubError(ErrorCode.AppConnectionHostNotAllowed, `Host ${host} is not allowed: ${reason}`);
export const connectionInUse = (references: string[]) =>
  new HubError(ErrorCode.AppConnectionInUse, `Cannot delete App Connection: it is referenced by ${references.join(', ')}. Remove these references and try again.`, {
    details: { references },
  });
export const gatewayNotFound = (id: string) => new HubError(ErrorCode.GatewayNotFound, `Could not find Gateway with ID ${id}`);
export const versionConflict = (expected: number, actual: number) =>
  new HubError(ErrorCode.AppConnectionVersionConflict, `App Connection was modified concurrently: expected version ${expected}, it is at version ${actual}. Read it again and retry.`, {
    details: { expected, actual },
  });
export const invalidIfMatch = () => validationFailed('If-Match must be the version number to update, e.g. "3"', { attr: 'If-Match' });
export const gatewayChangeNeedsCredentials = () =>
  new HubError(
    ErrorCode.AppConnectionCredentialsRequired,
    'Changing the gateway moves where the credentials are used: present them again (credentials with a fresh code) in the same update',
  );
export const projectNotFoundForConnection = (id: string) => new HubError(ErrorCode.AppConnectionProjectNotFound, `Could not find project with ID ${id}`);
/** Credentials of another method's shape than the connection's (Infisical's update check). */
export const credentialsFormatInvalid = (methodName: string) =>
  new HubError(ErrorCode.BadRequest, `Invalid credential format for GitHub Connection with method ${methodName}`);
/** Tokens and repositories come from an installation: an `oauth` connection has none. */
export const appMethodRequired = () => new HubError(ErrorCode.AppConnectionMethodNotSupported, 'Cannot generate GitHub App token for non-app connection');
