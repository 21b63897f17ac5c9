import { registerSealedColumn } from '../common/sealed-columns';
import { outboxBodySealContext } from './mail.service';

registerSealedColumn({ table: 'outbox_emails', keyColumn: 'id', column: 'body_text', context: outboxBodySealContext });
