import type { SealContext } from '../common/sealed-secrets';

/** Where a subscription's signing secrets are sealed (bound to the row and field). */
export const secretSealContext = (subscriptionId: string): SealContext => ({ table: 'webhook_subscriptions', rowId: subscriptionId, field: 'sealed_secret' });
export const previousSecretSealContext = (subscriptionId: string): SealContext => ({ table: 'webhook_subscriptions', rowId: subscriptionId, field: 'sealed_previous_secret' });
