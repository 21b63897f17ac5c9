import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export { organizationNotFound, projectNotFound } from '../auth/auth.errors';
export const memberNotFound = () => new HubError(ErrorCode.MemberNotFound, 'Member not found');
export const lastOwner = () => new HubError(ErrorCode.LastOwner, 'The last owner of an organization cannot be removed or demoted');
/** Granting the owner role (by a role change or an invite) or taking it away. */
export const ownerRequired = () => new HubError(ErrorCode.OwnerRequired, 'Only owners can grant or remove the owner role');
/** `action`: what the pinned key tried, e.g. "create organizations". */
export const keyPinned = (action: string) => new HubError(ErrorCode.KeyPinned, `A key pinned to an organization cannot ${action}`);
export const scopeNotHeld = (scope: string) => new HubError(ErrorCode.ScopeNotHeld, `Cannot grant scope '${scope}': the calling key does not hold it`);
export const scopeAboveRole = (scope: string) => new HubError(ErrorCode.ScopeAboveRole, `Your role does not allow scope '${scope}'`);
export const personalApiKeyNotFound = () => new HubError(ErrorCode.PersonalApiKeyNotFound, 'Personal API key not found');
export const personalApiKeyConflict = () => new HubError(ErrorCode.PersonalApiKeyConflict, 'The key was rolled or revoked by a concurrent request; list your keys and retry');
export const inviteNotFound = () => new HubError(ErrorCode.InviteNotFound, 'Invite not found');
export const inviteInvalid = () => new HubError(ErrorCode.InviteInvalid, 'Invite token is invalid, expired or already used', { attr: 'token' });
export const confirmationRequired = (name: string) =>
  new HubError(ErrorCode.ConfirmationRequired, `Deleting an organization removes everything it owns: send {"confirm": "<the organization's name>"} (here "${name}")`, { attr: 'confirm' });
