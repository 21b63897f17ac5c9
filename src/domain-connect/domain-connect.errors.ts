import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

const UNAVAILABLE = 'Automatic DNS configuration is temporarily unavailable for this provider. Please configure your DNS records manually.';

export const domainRequired = () => new HubError(ErrorCode.DomainRequired, 'domain query parameter is required', { attr: 'domain' });
export const invalidDomain = () => new HubError(ErrorCode.InvalidDomain, 'Invalid domain', { attr: 'domain' });
export const invalidContext = () => new HubError(ErrorCode.InvalidContext, "context must be 'email' or 'proxy'", { attr: 'context' });
export const invalidRedirectUri = (siteUrl: string) => new HubError(ErrorCode.InvalidRedirectUri, `redirect_uri must be under ${siteUrl}`, { attr: 'redirect_uri' });
export const integrationIdRequired = () => new HubError(ErrorCode.IntegrationIdRequired, 'integration_id is required for email context', { attr: 'integration_id' });
export const proxyRecordIdRequired = () => new HubError(ErrorCode.ProxyRecordIdRequired, 'proxy_record_id is required for proxy context', { attr: 'proxy_record_id' });
export const notAnEmailIntegration = () => new HubError(ErrorCode.NotAnEmailIntegration, 'The integration must be of kind email', { attr: 'integration_id' });
export const emailIntegrationIncomplete = () =>
  new HubError(ErrorCode.EmailIntegrationIncomplete, 'The email integration has no domain verification tokens yet', { attr: 'integration_id' });
export const unsupportedProviderEndpoint = () => new HubError(ErrorCode.UnsupportedProviderEndpoint, 'Unsupported provider endpoint', { attr: 'provider_endpoint' });
/** No signing key or provider id is configured: the same text a provider without Domain Connect gets. */
export const domainConnectUnavailable = () => new HubError(ErrorCode.DomainConnectUnavailable, UNAVAILABLE);
export const domainConnectNotSupported = () => new HubError(ErrorCode.DomainConnectNotSupported, UNAVAILABLE);
export const signingKeyNotConfigured = () => new HubError(ErrorCode.DomainConnectKeyNotConfigured, 'No Domain Connect signing key is configured');
export const proxyRecordExists = (domain: string) => new HubError(ErrorCode.ProxyRecordExists, `A proxy record for ${domain} already exists`);
export const proxyRecordNotFound = () => new HubError(ErrorCode.ProxyRecordNotFound, 'Proxy record not found');
