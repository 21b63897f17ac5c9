/**
 * The error catalog: every code a client can see, and the one HTTP status it answers with.
 * Errors are raised through the factories in each module's `<module>.errors.ts`; faces render a code into their
 * dialect (src/common/faces/) but take the status from here (a face's own table may say how its dialect spells it).
 */
export enum ErrorCode {
  // Generic: what the framework and the HTTP layer raise (unknown routes, bodies Fastify refuses, ...).
  BadRequest = 'BAD_REQUEST',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  UnprocessableEntity = 'UNPROCESSABLE_ENTITY',
  InternalError = 'INTERNAL_ERROR',
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  UpstreamUnreachable = 'UPSTREAM_UNREACHABLE',
  /** A provider's rate limit (GitHub, Slack, ...): lower case as documented, with Retry-After. */
  ProviderRateLimited = 'rate_limited',
  /** Bodies nested or sized past the parser's limits, refused unparsed. */
  BodyTooComplex = 'BODY_TOO_COMPLEX',
  UriTooLong = 'URI_TOO_LONG',
  InvalidUrl = 'INVALID_URL',
  /** A destination the outbound address guard refuses (private, loopback, link-local, metadata). */
  OutboundBlocked = 'OUTBOUND_BLOCKED',
  /** Redis (the queue, shared locks) is unreachable: retry after Retry-After. */
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',

  // auth
  Unauthenticated = 'UNAUTHENTICATED',
  /** No credentials at all (no Authorization header): dialects that tell it apart from a bad key say so (the hub's own face does not). */
  CredentialsMissing = 'CREDENTIALS_MISSING',
  RateLimited = 'RATE_LIMITED',
  RouteNotDeclared = 'ROUTE_NOT_DECLARED',
  MissingScope = 'MISSING_SCOPE',
  MissingPermission = 'MISSING_PERMISSION',
  MissingRole = 'MISSING_ROLE',
  OrganizationRequired = 'ORGANIZATION_REQUIRED',

  // organizations
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  ProjectNotFound = 'PROJECT_NOT_FOUND',
  MemberNotFound = 'MEMBER_NOT_FOUND',
  LastOwner = 'LAST_OWNER',
  OwnerRequired = 'OWNER_REQUIRED',
  KeyPinned = 'KEY_PINNED',
  ScopeNotHeld = 'SCOPE_NOT_HELD',
  ScopeAboveRole = 'SCOPE_ABOVE_ROLE',
  PersonalApiKeyNotFound = 'PERSONAL_API_KEY_NOT_FOUND',
  PersonalApiKeyConflict = 'PERSONAL_API_KEY_CONFLICT',
  OutboxEmailNotFound = 'OUTBOX_EMAIL_NOT_FOUND',
  OutboxEmailSent = 'OUTBOX_EMAIL_SENT',
  ConfirmationRequired = 'CONFIRMATION_REQUIRED',
  InviteNotFound = 'INVITE_NOT_FOUND',
  InviteInvalid = 'INVITE_INVALID',

  // integrations (and their provider adapters)
  IntegrationNotFound = 'INTEGRATION_NOT_FOUND',
  IntegrationNotConnected = 'INTEGRATION_NOT_CONNECTED',
  IntegrationDisabled = 'INTEGRATION_DISABLED',
  IntegrationInUse = 'INTEGRATION_IN_USE',
  /** A member re-submitted an integration the project already has: only project admins may overwrite one (PostHog). */
  IntegrationOverwriteForbidden = 'INTEGRATION_OVERWRITE_FORBIDDEN',
  IntegrationError = 'INTEGRATION_ERROR',
  InvalidConfiguration = 'INVALID_CONFIGURATION',
  CredentialDestinationLocked = 'CREDENTIAL_DESTINATION_LOCKED',
  ProviderNotFound = 'PROVIDER_NOT_FOUND',
  KindNotSupported = 'KIND_NOT_SUPPORTED',
  KindNotConfigured = 'KIND_NOT_CONFIGURED',
  KindRequiresAuthorize = 'KIND_REQUIRES_AUTHORIZE',
  OauthFlowRequired = 'OAUTH_FLOW_REQUIRED',
  InvalidNext = 'INVALID_NEXT',
  StateMissing = 'STATE_MISSING',
  StateMismatch = 'STATE_MISMATCH',
  StateInvalid = 'STATE_INVALID',
  ProviderDenied = 'PROVIDER_DENIED',
  CodeMissing = 'CODE_MISSING',
  CodeRejected = 'CODE_REJECTED',
  TokenRefreshFailed = 'TOKEN_REFRESH_FAILED',
  TokenRefreshUnavailable = 'TOKEN_REFRESH_UNAVAILABLE',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidCredentialsInput = 'INVALID_CREDENTIALS_INPUT',
  InvalidEmailConfig = 'INVALID_EMAIL_CONFIG',
  NoDiscordWebhook = 'NO_DISCORD_WEBHOOK',
  NoJiraSite = 'NO_JIRA_SITE',
  ProviderError = 'PROVIDER_ERROR',
  ProviderBadResponse = 'PROVIDER_BAD_RESPONSE',
  PolicyNotFound = 'POLICY_NOT_FOUND',
  PolicyProviderMismatch = 'POLICY_PROVIDER_MISMATCH',
  PolicyNeedsIntegration = 'POLICY_NEEDS_INTEGRATION',
  UnknownCheck = 'UNKNOWN_CHECK',
  UnknownAction = 'UNKNOWN_ACTION',

  // github
  GithubNotConfigured = 'GITHUB_NOT_CONFIGURED',
  GithubOauthNotConfigured = 'GITHUB_OAUTH_NOT_CONFIGURED',
  GithubWebhooksNotConfigured = 'GITHUB_WEBHOOKS_NOT_CONFIGURED',
  InvalidWebhookSignature = 'INVALID_WEBHOOK_SIGNATURE',
  WebhookHeadersMissing = 'WEBHOOK_HEADERS_MISSING',
  InstallationIdRequired = 'INSTALLATION_ID_REQUIRED',
  AccountLoginRequired = 'ACCOUNT_LOGIN_REQUIRED',
  GithubAccountMismatch = 'GITHUB_ACCOUNT_MISMATCH',
  GithubCodeInvalid = 'GITHUB_CODE_INVALID',
  GithubInstallationNotFound = 'GITHUB_INSTALLATION_NOT_FOUND',
  GithubInstallationAccessDenied = 'GITHUB_INSTALLATION_ACCESS_DENIED',
  GithubInstallationLinkedElsewhere = 'GITHUB_INSTALLATION_LINKED_ELSEWHERE',
  GithubInstallationSuspended = 'GITHUB_INSTALLATION_SUSPENDED',
  GithubInstallationDeleted = 'GITHUB_INSTALLATION_DELETED',
  GithubUserLinkNotFound = 'GITHUB_USER_LINK_NOT_FOUND',
  GithubLinkExistingSourceTeamNotFound = 'GITHUB_LINK_EXISTING_SOURCE_TEAM_NOT_FOUND',
  GithubLinkExistingOrphanInstallation = 'GITHUB_LINK_EXISTING_ORPHAN_INSTALLATION',
  GithubLinkExistingMultipleInstallations = 'GITHUB_LINK_EXISTING_MULTIPLE_INSTALLATIONS',
  GithubLinkExistingPersonalGithubRequired = 'GITHUB_LINK_EXISTING_PERSONAL_GITHUB_REQUIRED',
  /** A request the PostHog face's GitHub routes refuse with upstream's plain ValidationError (DRF code `invalid`). */
  GithubRequestInvalid = 'GITHUB_REQUEST_INVALID',
  /** The GitHub setup state token is unknown, used, expired or another user's/project's (upstream's `invalid_state`). */
  GithubStateInvalid = 'INVALID_STATE',
  /** The user's GitHub account cannot see the installation (upstream's `installation_access_denied`). */
  GithubInstallationNotVisible = 'INSTALLATION_ACCESS_DENIED',
  /** GitHub could not be asked whether the user sees the installation (upstream's `installation_verify_failed`). */
  GithubInstallationVerifyFailed = 'INSTALLATION_VERIFY_FAILED',
  TooManyRepositories = 'TOO_MANY_REPOSITORIES',
  InvalidPermissionLevel = 'INVALID_PERMISSION_LEVEL',
  GithubInstallationTokenUnknown = 'GITHUB_INSTALLATION_TOKEN_UNKNOWN',
  GithubPermissionMissing = 'GITHUB_PERMISSION_MISSING',
  GithubValidationFailed = 'GITHUB_VALIDATION_FAILED',
  GithubAuthFailed = 'GITHUB_AUTH_FAILED',
  GithubUnavailable = 'GITHUB_UNAVAILABLE',
  GithubRequestFailed = 'GITHUB_REQUEST_FAILED',

  // scan
  GithubNotConnected = 'GITHUB_NOT_CONNECTED',
  GithubNotVisible = 'GITHUB_NOT_VISIBLE',
  GithubScanUnreadable = 'GITHUB_SCAN_UNREADABLE',
  ScanNotFound = 'SCAN_NOT_FOUND',
  ScanConflict = 'SCAN_CONFLICT',
  ScanNotRunning = 'SCAN_NOT_RUNNING',
  ScanSinceInvalid = 'INVALID_SINCE',
  ScanExemptionNotFound = 'SCAN_EXEMPTION_NOT_FOUND',
  ScanExemptionExpiryInvalid = 'INVALID_EXPIRY',
  ScanScheduleInvalid = 'INVALID_CRON',

  // app connections
  AppConnectionNotFound = 'APP_CONNECTION_NOT_FOUND',
  AppConnectionNameTaken = 'APP_CONNECTION_NAME_TAKEN',
  AppConnectionHostNotAllowed = 'APP_CONNECTION_HOST_NOT_ALLOWED',
  AppConnectionInUse = 'APP_CONNECTION_IN_USE',
  AppConnectionVersionConflict = 'APP_CONNECTION_VERSION_CONFLICT',
  AppConnectionCredentialsRequired = 'APP_CONNECTION_CREDENTIALS_REQUIRED',
  GatewayNotFound = 'GATEWAY_NOT_FOUND',
  AppConnectionProjectNotFound = 'APP_CONNECTION_PROJECT_NOT_FOUND',
  AppConnectionMethodNotSupported = 'APP_CONNECTION_METHOD_NOT_SUPPORTED',

  // access requests
  AccessRequestNotFound = 'ACCESS_REQUEST_NOT_FOUND',
  AccessRequestResolved = 'ACCESS_REQUEST_RESOLVED',
  MembersOnly = 'MEMBERS_ONLY',

  // events out (webhooks)
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  WebhookDeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  WebhookUrlInvalid = 'WEBHOOK_URL_INVALID',
  WebhookUrlNotAllowed = 'WEBHOOK_URL_NOT_ALLOWED',
  WebhookDisabled = 'WEBHOOK_DISABLED',
  WebhookDeliveryInFlight = 'WEBHOOK_DELIVERY_IN_FLIGHT',

  // domain connect
  DomainRequired = 'DOMAIN_REQUIRED',
  InvalidDomain = 'INVALID_DOMAIN',
  InvalidContext = 'INVALID_CONTEXT',
  InvalidRedirectUri = 'INVALID_REDIRECT_URI',
  IntegrationIdRequired = 'INTEGRATION_ID_REQUIRED',
  ProxyRecordIdRequired = 'PROXY_RECORD_ID_REQUIRED',
  NotAnEmailIntegration = 'NOT_AN_EMAIL_INTEGRATION',
  EmailIntegrationIncomplete = 'EMAIL_INTEGRATION_INCOMPLETE',
  UnsupportedProviderEndpoint = 'UNSUPPORTED_PROVIDER_ENDPOINT',
  DomainConnectUnavailable = 'DOMAIN_CONNECT_UNAVAILABLE',
  DomainConnectNotSupported = 'DOMAIN_CONNECT_NOT_SUPPORTED',
  DomainConnectKeyNotConfigured = 'DOMAIN_CONNECT_KEY_NOT_CONFIGURED',
  ProxyRecordExists = 'PROXY_RECORD_EXISTS',
  ProxyRecordNotFound = 'PROXY_RECORD_NOT_FOUND',

  // provider proxy
  ProxyPathRefused = 'PROXY_PATH_REFUSED',
  ProxyHeaderInvalid = 'PROXY_HEADER_INVALID',
  ProxyNotSupported = 'PROXY_NOT_SUPPORTED',
  ProxyDestinationRefused = 'PROXY_DESTINATION_REFUSED',
  UpstreamTimeout = 'UPSTREAM_TIMEOUT',
}

/** The one status per code. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.UnprocessableEntity]: 422,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.UpstreamUnreachable]: 502,
  [ErrorCode.ProviderRateLimited]: 429,
  [ErrorCode.BodyTooComplex]: 400,
  [ErrorCode.UriTooLong]: 414,
  [ErrorCode.InvalidUrl]: 400,
  [ErrorCode.OutboundBlocked]: 400,
  [ErrorCode.ServiceUnavailable]: 503,

  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.CredentialsMissing]: 401,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.RouteNotDeclared]: 403,
  [ErrorCode.MissingScope]: 403,
  [ErrorCode.MissingPermission]: 403,
  [ErrorCode.MissingRole]: 403,
  [ErrorCode.OrganizationRequired]: 400,

  [ErrorCode.OrganizationNotFound]: 404,
  [ErrorCode.ProjectNotFound]: 404,
  [ErrorCode.MemberNotFound]: 404,
  [ErrorCode.LastOwner]: 400,
  [ErrorCode.OwnerRequired]: 403,
  [ErrorCode.KeyPinned]: 403,
  [ErrorCode.ScopeNotHeld]: 403,
  [ErrorCode.ScopeAboveRole]: 403,
  [ErrorCode.PersonalApiKeyNotFound]: 404,
  [ErrorCode.PersonalApiKeyConflict]: 409,
  [ErrorCode.OutboxEmailNotFound]: 404,
  [ErrorCode.OutboxEmailSent]: 409,
  [ErrorCode.ConfirmationRequired]: 400,
  [ErrorCode.InviteNotFound]: 404,
  [ErrorCode.InviteInvalid]: 400,

  [ErrorCode.IntegrationNotFound]: 404,
  [ErrorCode.IntegrationNotConnected]: 409,
  [ErrorCode.IntegrationDisabled]: 400,
  [ErrorCode.IntegrationOverwriteForbidden]: 403,
  [ErrorCode.IntegrationInUse]: 400,
  [ErrorCode.IntegrationError]: 409,
  [ErrorCode.InvalidConfiguration]: 400,
  [ErrorCode.CredentialDestinationLocked]: 409,
  [ErrorCode.ProviderNotFound]: 404,
  [ErrorCode.KindNotSupported]: 400,
  [ErrorCode.KindNotConfigured]: 400,
  [ErrorCode.KindRequiresAuthorize]: 400,
  [ErrorCode.OauthFlowRequired]: 400,
  [ErrorCode.InvalidNext]: 400,
  [ErrorCode.StateMissing]: 400,
  [ErrorCode.StateMismatch]: 400,
  [ErrorCode.StateInvalid]: 400,
  [ErrorCode.ProviderDenied]: 400,
  [ErrorCode.CodeMissing]: 400,
  [ErrorCode.CodeRejected]: 400,
  [ErrorCode.TokenRefreshFailed]: 409,
  [ErrorCode.TokenRefreshUnavailable]: 503,
  [ErrorCode.InvalidCredentials]: 400,
  [ErrorCode.InvalidCredentialsInput]: 400,
  [ErrorCode.InvalidEmailConfig]: 400,
  [ErrorCode.NoDiscordWebhook]: 400,
  [ErrorCode.NoJiraSite]: 400,
  [ErrorCode.ProviderError]: 502,
  [ErrorCode.ProviderBadResponse]: 502,
  [ErrorCode.PolicyNotFound]: 404,
  [ErrorCode.PolicyProviderMismatch]: 400,
  [ErrorCode.PolicyNeedsIntegration]: 400,
  [ErrorCode.UnknownCheck]: 400,
  [ErrorCode.UnknownAction]: 400,

  [ErrorCode.GithubNotConfigured]: 503,
  [ErrorCode.GithubOauthNotConfigured]: 400,
  [ErrorCode.GithubWebhooksNotConfigured]: 503,
  [ErrorCode.InvalidWebhookSignature]: 401,
  [ErrorCode.WebhookHeadersMissing]: 400,
  [ErrorCode.InstallationIdRequired]: 400,
  [ErrorCode.AccountLoginRequired]: 400,
  [ErrorCode.GithubAccountMismatch]: 422,
  [ErrorCode.GithubCodeInvalid]: 400,
  [ErrorCode.GithubInstallationNotFound]: 404,
  [ErrorCode.GithubInstallationAccessDenied]: 403,
  [ErrorCode.GithubInstallationLinkedElsewhere]: 409,
  [ErrorCode.GithubInstallationSuspended]: 403,
  [ErrorCode.GithubInstallationDeleted]: 403,
  [ErrorCode.GithubUserLinkNotFound]: 404,
  [ErrorCode.GithubLinkExistingSourceTeamNotFound]: 400,
  [ErrorCode.GithubLinkExistingOrphanInstallation]: 400,
  [ErrorCode.GithubLinkExistingMultipleInstallations]: 400,
  [ErrorCode.GithubLinkExistingPersonalGithubRequired]: 400,
  [ErrorCode.GithubRequestInvalid]: 400,
  [ErrorCode.GithubStateInvalid]: 400,
  [ErrorCode.GithubInstallationNotVisible]: 400,
  [ErrorCode.GithubInstallationVerifyFailed]: 400,
  [ErrorCode.TooManyRepositories]: 422,
  [ErrorCode.InvalidPermissionLevel]: 422,
  [ErrorCode.GithubInstallationTokenUnknown]: 401,
  [ErrorCode.GithubPermissionMissing]: 403,
  [ErrorCode.GithubValidationFailed]: 422,
  [ErrorCode.GithubAuthFailed]: 502,
  [ErrorCode.GithubUnavailable]: 502,
  [ErrorCode.GithubRequestFailed]: 502,

  [ErrorCode.GithubNotConnected]: 409,
  [ErrorCode.GithubNotVisible]: 404,
  [ErrorCode.GithubScanUnreadable]: 502,
  [ErrorCode.ScanNotFound]: 404,
  [ErrorCode.ScanConflict]: 409,
  [ErrorCode.ScanNotRunning]: 409,
  [ErrorCode.ScanSinceInvalid]: 400,
  [ErrorCode.ScanExemptionNotFound]: 404,
  [ErrorCode.ScanExemptionExpiryInvalid]: 400,
  [ErrorCode.ScanScheduleInvalid]: 400,

  [ErrorCode.AppConnectionNotFound]: 404,
  [ErrorCode.AppConnectionNameTaken]: 400,
  [ErrorCode.AppConnectionHostNotAllowed]: 400,
  [ErrorCode.AppConnectionInUse]: 400,
  [ErrorCode.AppConnectionVersionConflict]: 409,
  [ErrorCode.AppConnectionCredentialsRequired]: 400,
  [ErrorCode.GatewayNotFound]: 404,
  [ErrorCode.AppConnectionProjectNotFound]: 400,
  [ErrorCode.AppConnectionMethodNotSupported]: 400,

  [ErrorCode.AccessRequestNotFound]: 404,
  [ErrorCode.AccessRequestResolved]: 409,
  [ErrorCode.MembersOnly]: 403,

  [ErrorCode.DomainRequired]: 400,
  [ErrorCode.InvalidDomain]: 400,
  [ErrorCode.InvalidContext]: 400,
  [ErrorCode.InvalidRedirectUri]: 400,
  [ErrorCode.IntegrationIdRequired]: 400,
  [ErrorCode.ProxyRecordIdRequired]: 400,
  [ErrorCode.NotAnEmailIntegration]: 400,
  [ErrorCode.EmailIntegrationIncomplete]: 400,
  [ErrorCode.UnsupportedProviderEndpoint]: 400,
  [ErrorCode.DomainConnectUnavailable]: 400,
  [ErrorCode.DomainConnectNotSupported]: 400,
  [ErrorCode.DomainConnectKeyNotConfigured]: 404,
  [ErrorCode.ProxyRecordExists]: 409,
  [ErrorCode.ProxyRecordNotFound]: 404,
  [ErrorCode.ProxyPathRefused]: 400,
  [ErrorCode.ProxyHeaderInvalid]: 400,
  [ErrorCode.ProxyNotSupported]: 400,
  [ErrorCode.ProxyDestinationRefused]: 502,
  [ErrorCode.UpstreamTimeout]: 504,
  [ErrorCode.WebhookNotFound]: 404,
  [ErrorCode.WebhookDeliveryNotFound]: 404,
  [ErrorCode.WebhookUrlInvalid]: 400,
  [ErrorCode.WebhookUrlNotAllowed]: 400,
  [ErrorCode.WebhookDisabled]: 409,
  [ErrorCode.WebhookDeliveryInFlight]: 409,
};

/** The generic code for a status the framework raised (an unknown route, a body Fastify refused, ...). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 405:
      return ErrorCode.MethodNotAllowed;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 422:
      return ErrorCode.UnprocessableEntity;
    case 429:
      return ErrorCode.RateLimited;
    default:
      return status >= 500 ? ErrorCode.InternalError : ErrorCode.BadRequest;
  }
}
