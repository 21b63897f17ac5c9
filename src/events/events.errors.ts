import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

/** Domain errors of webhook subscriptions and deliveries. */
export const subscriptionNotFound = () => new HubError(ErrorCode.WebhookNotFound, 'Webhook subscription not found');
export const deliveryNotFound = () => new HubError(ErrorCode.WebhookDeliveryNotFound, 'Webhook delivery not found');
export const urlInvalid = (reason: string) => new HubError(ErrorCode.WebhookUrlInvalid, `url ${reason}`, { attr: 'url' });
export const urlNotAllowed = (message: string) => new HubError(ErrorCode.WebhookUrlNotAllowed, message, { attr: 'url' });
export const subscriptionDisabled = () => new HubError(ErrorCode.WebhookDisabled, 'The webhook subscription is disabled: enable it first');
export const deliveryInFlight = () => new HubError(ErrorCode.WebhookDeliveryInFlight, 'An attempt of this delivery is in flight');
