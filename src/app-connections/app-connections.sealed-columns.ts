import { registerSealedColumn } from '../common/sealed-columns';
import { appConnectionSealContext } from './app-connections.service';
import { serverSecretSealContext } from './server-secrets.service';

registerSealedColumn({ table: 'app_connections', keyColumn: 'id', column: 'sealed_credentials', context: appConnectionSealContext });
registerSealedColumn({ table: 'server_secrets', keyColumn: 'name', column: 'sealed_value', context: serverSecretSealContext });
