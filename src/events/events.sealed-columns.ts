import { registerSealedColumn } from '../common/sealed-columns';
import { previousSecretSealContext, secretSealContext } from './webhook-secrets';

registerSealedColumn({ table: 'webhook_subscriptions', keyColumn: 'id', column: 'sealed_secret', context: secretSealContext });
registerSealedColumn({ table: 'webhook_subscriptions', keyColumn: 'id', column: 'sealed_previous_secret', context: previousSecretSealContext });
