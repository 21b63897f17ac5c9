import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

export const integrationNotFound = () => new HubError(ErrorCode.IntegrationNotFound, 'Integration not found');
/** The integration (or, without one named, the provider in this workspace) has no usable connection. */
export const integrationNotConnected = (what: string) => new HubError(ErrorCode.IntegrationNotConnected, what);
export const integrationDisabled = () => new HubError(ErrorCode.IntegrationDisabled, 'The integration is not enabled');
export const integrationInError = (message: string) => new HubError(ErrorCode.IntegrationError, message);
export const integrationInUse = (policies: Array<{ id: string; name: string }>) =>
  new HubError(ErrorCode.IntegrationInUse, `This integration is used by enabled policies: ${policies.map((p) => p.name).join(', ')}. Disable them first.`, {
    details: { policies },
  });
/** PostHog's PermissionDenied text when a member re-submits an integration the project already has. */
export const integrationOverwriteForbidden = () => new HubError(ErrorCode.IntegrationOverwriteForbidden, 'Editing an existing integration requires project admin access.');
export const invalidConfiguration = (message: string, details?: unknown) => new HubError(ErrorCode.InvalidConfiguration, message, { details, attr: 'configuration' });
export const providerNotFound = (provider: string, supported: readonly string[]) =>
  new HubError(ErrorCode.ProviderNotFound, `Unknown provider '${provider}'. Supported providers: ${supported.join(', ')}`);

// Kinds and the OAuth flows
export const kindNotSupported = () => new HubError(ErrorCode.KindNotSupported, 'Kind not supported', { attr: 'kind' });
/** Names the environment variables to set, in the message (every face shows it) and in `details.missing`. */
export const kindNotConfigured = (displayName: string, missing: string[]) =>
  new HubError(ErrorCode.KindNotConfigured, `Kind not configured: set ${missing.join(', ')} to connect ${displayName} (see docs/providers/)`, { attr: 'kind', details: { missing } });
export const kindRequiresAuthorize = (kind: string) => new HubError(ErrorCode.KindRequiresAuthorize, `${kind} integrations are created through the authorize flow`, { attr: 'kind' });
export const oauthFlowRequired = (provider: string) => new HubError(ErrorCode.OauthFlowRequired, `${provider} connects through its authorize flow`);
export const invalidNext = () => new HubError(ErrorCode.InvalidNext, 'next must be a relative path starting with /', { attr: 'next' });
export const stateMissing = () => new HubError(ErrorCode.StateMissing, 'state is required', { attr: 'state' });
export const stateMismatch = () => new HubError(ErrorCode.StateMismatch, 'state does not match this browser session', { attr: 'state' });
export const stateInvalid = () => new HubError(ErrorCode.StateInvalid, 'Invalid or expired state: start the flow again', { attr: 'state' });
export const providerDenied = (reason: string) => new HubError(ErrorCode.ProviderDenied, `The provider did not authorize the connection: ${reason}`);
export const codeMissing = () => new HubError(ErrorCode.CodeMissing, 'code is required', { attr: 'code' });
export const codeRejected = (provider: string) => new HubError(ErrorCode.CodeRejected, `${provider} rejected the authorization code`, { attr: 'code' });
export const tokenRefreshFailed = (message: string) => new HubError(ErrorCode.TokenRefreshFailed, message);
/** The token endpoint failed transiently (5xx, 429, timeout): the integration stays usable, try again later. */
export const tokenRefreshUnavailable = (provider: string, reason: string, retryAfterSeconds: number) =>
  new HubError(ErrorCode.TokenRefreshUnavailable, `${provider} could not refresh the token right now (${reason}); try again in ${retryAfterSeconds} seconds`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

// What a provider said about the credentials or a call
export const invalidCredentialsInput = (attr: string, message: string) => new HubError(ErrorCode.InvalidCredentialsInput, message, { attr });
/** `reason`: the provider's answer, e.g. "HTTP 401" or Slack's error name. */
export const credentialsRejected = (provider: string, reason: string) => new HubError(ErrorCode.InvalidCredentials, `${provider} rejected the credentials (${reason})`);
export const invalidEmailConfig = (attr: string, message: string) => new HubError(ErrorCode.InvalidEmailConfig, message, { attr });
export const noDiscordWebhook = () => new HubError(ErrorCode.NoDiscordWebhook, 'Discord did not grant an incoming webhook');
export const noJiraSite = () => new HubError(ErrorCode.NoJiraSite, 'The Jira token does not reach any site');
/** `call`: what we asked, e.g. "projects"; `reason`: e.g. "HTTP 500". */
export const providerCallFailed = (provider: string, call: string, reason: string) => new HubError(ErrorCode.ProviderError, `${provider} ${call} failed (${reason})`);
export const providerBadResponse = (provider: string) => new HubError(ErrorCode.ProviderBadResponse, `${provider} answered with malformed JSON`);

// Policies
export const policyNotFound = () => new HubError(ErrorCode.PolicyNotFound, 'Policy not found');
export const policyProviderMismatch = () => new HubError(ErrorCode.PolicyProviderMismatch, 'integration_id belongs to another provider', { attr: 'integration_id' });
export const policyNeedsIntegration = (provider: string) =>
  new HubError(ErrorCode.PolicyNeedsIntegration, `A policy needs a connected ${provider} integration to be enabled`, { attr: 'enabled' });
export const unknownCheck = (check: string, available: readonly string[]) =>
  new HubError(ErrorCode.UnknownCheck, `Unknown check '${check}'. Available: ${available.join(', ')}`, { attr: 'check' });
export const unknownAction = (action: string, available: readonly string[]) =>
  new HubError(ErrorCode.UnknownAction, `Unknown action '${action}'. Available: ${available.join(', ')}`, { attr: 'action' });
/** A configuration edit would send the stored credential elsewhere: only connecting again with it may do that. */
export const credentialDestinationLocked = (provider: string) =>
  new HubError(
    ErrorCode.CredentialDestinationLocked,
    `Changing where the ${provider} credential is sent requires presenting it again: connect with the new URL and the token (POST /api/integrations/${provider}/connect)`,
    { attr: 'configuration' },
  );
