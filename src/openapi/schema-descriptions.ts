/** Descriptions of the enum schemas (@nestjs/swagger gives an `enumName` schema no description of its own). */
export const ENUM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  AccessRequestResolution: 'How an admin resolves an access request.',
  AccessRequestStatus: 'State of an access request.',
  ApiScope: 'Scopes of a personal API key; `:write` implies `:read`, `*` is every scope.',
  OutboxStatus: 'State of an outbox email: `unsent` (waiting or retrying), `sent`, or `discarded` (by an admin, or no longer relevant when delivery came).',
  AppConnectionApp: 'Apps an app connection can be for.',
  AppConnectionMethod: 'How an app connection authenticates.',
  DomainConnectContext: 'What a Domain Connect template sets up: email sender verification or a reverse proxy.',
  ErrorCode: "The hub's error catalog; each code has one HTTP status (`x-status`).",
  FindingSeverity: 'How serious a finding is.',
  GithubInstanceType: 'github.com or a GitHub Enterprise Server instance.',
  IntegrationItemType: 'The object type an integration triggers on.',
  IntegrationProvider: 'Providers the hub integrates with.',
  IntegrationStatus: 'Connection state of an integration.',
  OrgRole: 'Role of a member: owner > admin > member.',
  ProxyRecordStatus: 'Whether the DNS of a proxy record points at its target.',
  RepoResultStatus: 'How reading a repository went in a scan.',
  RepositorySelection: "Whether an installation reaches all of the account's repositories or selected ones.",
  ScanResultsFormat: 'Format of scan findings.',
  ScanStatus: 'State of a scan.',
  SuppressedFilter: 'Whether suppressed findings are included.',
  TemplateSupport: 'Whether the DNS provider hosts the template.',
  WebhookDeliveryStatus: 'State of a webhook delivery.',
  WebhookEventType: 'Events a webhook subscription can receive.',
  WebhookOutcome: 'What the hub did with a GitHub webhook delivery.',
};

/** How each dialect's operations are introduced (by tag): which API they follow. */
export const DIALECT_OF_TAG: Readonly<Record<string, string>> = {
  'project integrations': "PostHog's project integrations API (paths, fields, pagination and DRF error bodies)",
  'workspace integrations': "TinyOps' integrations API; errors in the hub's body",
  'github org scan': "TinyOps' org scanning API; errors in the hub's body",
  'integration object': "vRaptor's integration object API; errors in the hub's body",
  'app connections': "Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`)",
  'github apps': "GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT",
  'github broker': "GitHub's 2016 Integrations preview API; errors carry GitHub's `{message, documentation_url}` beside the hub's fields",
};
