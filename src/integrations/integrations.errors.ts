import { HubError } from '../common/hub-error';

/** A configuration edit would send the stored credential elsewhere: only connecting again with it may do that. */
export const credentialDestinationLocked = (provider: string) =>
  new HubError(
    409,
    'CREDENTIAL_DESTINATION_LOCKED',
    `Changing where the ${provider} credential is sent requires presenting it again: connect with the new URL and the token (POST /api/integrations/${provider}/connect)`,
    undefined,
    'configuration',
  );
