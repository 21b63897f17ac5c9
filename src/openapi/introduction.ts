/** The document's `info.description`: what `/docs` opens with (Markdown, rendered by Swagger UI and Redoc). */
export const INTRODUCTION = `
The Integrations Hub connects an organization's projects to third-party providers (GitHub, GitLab, Slack, Jira,
Discord, Microsoft Teams, MantisBT and email sender domains), brokers short-lived GitHub App credentials to internal
services, scans GitHub organizations for configuration drift and automates DNS set-up through Domain Connect.
It is self-hosted: every path below is relative to the hub you are reading this on.

## Authentication

Every route except the public ones (health probes, this document, \`POST /api/invites/accept\`, the OAuth and
installation callbacks, the GitHub webhook receiver and the Domain Connect key records) needs a **personal API key**:

    Authorization: Bearer ihk_...

(\`Authorization: token ihk_...\`, what octokit sends, is accepted too.) Keys start with \`ihk_\`, are shown once when
created (\`POST /api/personal_api_keys\`, or printed at first start as the bootstrap key) and can be rolled or revoked.
A key is never read from the query string or the body. Click **Authorize** above and paste a key to try the routes here.

- **Scopes** narrow what a key may do: \`integration:read|write\`, \`organization:read|write\`, \`project:read|write\`,
  \`personal_api_key:read|write\` or \`*\`; \`:write\` implies \`:read\`. Each operation names its scope in
  \`x-required-scope\`.
- **Roles** come from the user's membership: \`owner\` > \`admin\` > \`member\`; owners and admins hold
  \`MANAGE_ORGANISATION\`. Operations that need one say so in \`x-required-permission\`. Scopes never grant more than
  the role allows.
- **Organization**: a key pinned to an organization acts there; otherwise the user's only organization; otherwise
  send \`X-Organization-Id\`.
- Checks run in a fixed order: the key (401), the scope (403), then organization, role and object (403/404, an object
  of another organization is 404), then the body (400/422).

## Five dialects, one model

The hub speaks five API dialects that already exist, so a client written for any of them works unchanged:

| dialect | follows | base paths |
|---|---|---|
| project integrations | PostHog's project integrations API | \`/api/projects/{project_id}/integrations/\` |
| workspace integrations and org scans | TinyOps' integrations API | \`/api/integrations\`, \`/api/integrations/{provider}/...\`, \`/api/integrations/github/scan-*\` |
| integration object | vRaptor's integration object API | \`/api/integrations/{integration_id}\` (snowflake id), \`.../sync\` |
| app connections | Infisical's app connections API | \`/api/v1/app-connections/...\` |
| GitHub App broker | GitHub's Apps API (also under \`/api/v3\`, as GitHub Enterprise Server) | \`/api/integration/installations\`, \`/api/installations/{installation_id}/access_tokens\`, \`/api/app/...\` |

The hub's own routes (users, organizations, projects, keys, invites, policies, webhooks, audit log, Domain Connect,
the provider proxy, health) follow the hub's conventions below. Paths accept an optional trailing slash.

## Errors

Each dialect answers errors in its original shape; the hub's own routes use the hub's:

| face | body |
|---|---|
| hub (and TinyOps, vRaptor) | \`{statusCode, code, message, details?, requestId}\`; \`code\` is a stable value of the \`ErrorCode\` schema, whose \`x-status\` lists each code's one status |
| PostHog | \`{type, code, detail, attr}\` (DRF: \`validation_error\`, \`authentication_error\`, ...) |
| Infisical | \`{reqId, statusCode, message, error}\`; schema failures are 422 \`ValidationFailure\` with zod issues |
| GitHub | \`{message, documentation_url, errors?}\` |

Every response carries \`X-Request-Id\` (the \`requestId\` of error bodies). Where the hub calls a provider, it may
answer **502** \`UPSTREAM_UNREACHABLE\` (the provider could not be reached or answered garbage), **503**
\`SERVICE_UNAVAILABLE\` (the hub's queue or lock store is down; retry after \`Retry-After\`) or **504**
\`UPSTREAM_TIMEOUT\` (the provider did not answer in time). Each operation lists the statuses it can answer with an
example per error code.

## Pagination

The hub's own list routes take \`?limit\` (default 100, at most 1000) and \`?offset\` (default 0) and answer

    {"count": 250, "limit": 100, "offset": 0, "next": "https://hub.example/api/...?limit=100&offset=100", "results": [...]}

where \`count\` is the total, and \`next\` is the absolute URL of the next page, or \`null\` on the last one. The dialect
routes keep their dialect's pagination (PostHog's \`{count, next, previous, results}\`, GitHub's \`per_page\`/\`page\`
with a \`Link\` header, Infisical's and TinyOps' shapes).

## Rate limits

- Failed authentications are limited per client address (\`AUTH_FAILURE_LIMIT\` per \`AUTH_FAILURE_WINDOW_SECONDS\`):
  past it the hub answers 429 \`RATE_LIMITED\` with \`Retry-After\`, even for a good key.
- A provider's rate limit reaches you as 429 \`{detail, code: "rate_limited"}\` with \`Retry-After\` (in the face's
  shape); short ones are waited out by the hub.
- Outbound calls retry 429 and 5xx answers a bounded number of times, honouring \`Retry-After\`.
`.trim();
