/**
 * Every tag of the contract, in the order `/docs` shows them, with what a reader finds under it. A route with a
 * tag missing here fails `redocly lint` (operation-tag-defined), so new areas get described.
 */
export const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'users', description: "The hub's own face. Who the calling key belongs to: the user, their organizations and the key's scopes." },
  { name: 'organizations', description: "The hub's own face. Organizations and their members; roles `owner` > `admin` > `member`. Renaming and member changes need `MANAGE_ORGANISATION`." },
  { name: 'projects', description: "The hub's own face. Projects of an organization: every member sees them, owners and admins manage them." },
  { name: 'personal_api_keys', description: "The hub's own face. The caller's personal API keys (`ihk_...`): the secret is shown once, on create and roll; a key creates keys only with scopes it holds." },
  { name: 'invites', description: "The hub's own face. Inviting people by email: a one-time token (emailed when SMTP is set) that the public `POST /api/invites/accept` exchanges for a user and a first key." },
  { name: 'project integrations', description: "PostHog's project integrations API (`/api/projects/{project_id}/integrations/`): PostHog's paths, fields, pagination and DRF error bodies `{type, code, detail, attr}`. Browser flows (authorize, callback), GitHub `link_existing`, Domain Connect for email domains and access requests live here too." },
  { name: 'workspace integrations', description: "TinyOps' integrations API (`/api/integrations`, `/api/integrations/{provider}/...`): workspace-level integrations, connect and disconnect per provider, each provider's checks, actions, repositories and health. Errors in the hub's body." },
  { name: 'integration object', description: "vRaptor's integration object API (`/api/integrations/{integration_id}` with a snowflake id): read, partial update and sync of one integration. Errors in the hub's body." },
  { name: 'policies', description: "The hub's own face. Rules over a connected integration's checks or actions; disconnecting the integration disables them (reconnecting does not re-enable them)." },
  { name: 'github org scan', description: "TinyOps' org scanning API (`/api/integrations/github/scan-*`): scans of every connected GitHub installation on the queue, progress, findings (JSON, SARIF, CSV), drift, exemptions, baseline and schedules." },
  { name: 'app connections', description: "Infisical's app connections API (`/api/v1/app-connections/...`): GitHub Connections from an App installation, with Infisical's field names and error bodies `{reqId, statusCode, message, error}` (422 `ValidationFailure` for schema errors)." },
  { name: 'github apps', description: "GitHub's Apps API as octokit calls it (`/api/app/...`, `/api/orgs/{org}/installation`, ...; also under `/api/v3` like GitHub Enterprise Server): the organization's installations and installation tokens, GitHub's field names and `{message, documentation_url}` errors." },
  { name: 'github broker', description: "GitHub's 2016 Integrations preview routes (`/api/integration/installations`, `/api/installations/{installation_id}/access_tokens`, ...): short-lived installation tokens for internal services, GitHub-shaped, with the hub's error fields beside GitHub's." },
  { name: 'github app setup', description: "The hub's own face. GitHub's App manifest flow: an admin creates the hub's GitHub App in one click; the hub stores its id, key and secrets sealed (environment settings still win)." },
  { name: 'github webhooks', description: 'Public receiver of the GitHub App\'s webhook deliveries, authenticated by their `X-Hub-Signature-256`.' },
  { name: 'provider proxy', description: "The hub's own face. Call a provider's API through the hub, which attaches the integration's credential and sends it only to the host it was granted for." },
  { name: 'webhooks', description: "The hub's own face. Event subscriptions delivered per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), with retries, a delivery log and replay." },
  { name: 'domain connect', description: "The hub's own face. Domain Connect: the public TXT records of the hub's signing key." },
  { name: 'proxy records', description: "The hub's own face. Reverse proxy records: a custom domain pointed at a generated CNAME target, applied through Domain Connect." },
  { name: 'audit log', description: "The hub's own face. Who did what in the organization, newest first." },
  { name: 'outbox', description: "The hub's own face. The organization's outgoing mail: status and attempts, retry and discard; bodies stay sealed." },
  { name: 'health', description: 'Public liveness and readiness probes, and Prometheus metrics.' },
];
