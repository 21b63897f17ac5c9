import { registerSealedColumn } from '../common/sealed-columns';
import { sealContext } from './integrations.service';
import { verifierSealContext } from './oauth-state.service';

registerSealedColumn({ table: 'integrations', keyColumn: 'id', column: 'sealed_credentials', context: sealContext });
registerSealedColumn({ table: 'oauth_states', keyColumn: 'state_hash', column: 'sealed_code_verifier', context: verifierSealContext });
