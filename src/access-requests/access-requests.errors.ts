import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export const accessRequestNotFound = () => new HubError(ErrorCode.AccessRequestNotFound, 'Access request not found');
export const accessRequestResolved = (status: string) => new HubError(ErrorCode.AccessRequestResolved, `This request was already ${status}`);
export const membersOnly = () => new HubError(ErrorCode.MembersOnly, 'Only members can request access; admins can connect integrations directly.');
