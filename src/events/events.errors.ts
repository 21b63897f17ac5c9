import { HubError } from '../common/hub-error';

/** Domain errors of webhook subscriptions and deliveries. */
export const subscriptionNotFound = () => new HubError(404, 'WEBHOOK_NOT_FOUND', 'Webhook subscription not found');
export const deliveryNotFound = () => new HubError(404, 'WEBHOOK_DELIVERY_NOT_FOUND', 'Webhook delivery not found');
export const urlInvalid = (reason: string) => new HubError(400, 'WEBHOOK_URL_INVALID', `url ${reason}`, undefined, 'url');
export const urlNotAllowed = (message: string) => new HubError(400, 'WEBHOOK_URL_NOT_ALLOWED', message, undefined, 'url');
export const subscriptionDisabled = () => new HubError(409, 'WEBHOOK_DISABLED', 'The webhook subscription is disabled: enable it first');
export const deliveryInFlight = () => new HubError(409, 'WEBHOOK_DELIVERY_IN_FLIGHT', 'An attempt of this delivery is in flight');
