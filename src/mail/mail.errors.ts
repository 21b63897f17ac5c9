import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export const outboxEmailNotFound = () => new HubError(ErrorCode.OutboxEmailNotFound, 'Outbox email not found');
export const outboxEmailSent = () => new HubError(ErrorCode.OutboxEmailSent, 'The email was sent already: it cannot be retried or discarded');
