/** Every module's sealed columns, for `rotate-keys`: add one import per module that seals values. */
import './integrations/integrations.sealed-columns';
import './mail/mail.sealed-columns';
import './app-connections/app-connections.sealed-columns';
import './events/events.sealed-columns';
