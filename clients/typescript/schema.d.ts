// Generated from openapi/openapi.json by `npm run client:generate`. Do not edit.
export interface paths {
    "/api/app/installations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's installations (octokit apps.listInstallations)
         * @description Lists the GitHub App installations connected to the caller's organization, as `GET /app/installations` answers on GitHub (octokit `apps.listInstallations`), paged with `per_page`/`page` and a `Link` header. Unlike GitHub, it is called with a hub API key rather than an App JWT, and shows only the organization's installations.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsListInstallations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/app/installations/{installation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One installation of the organization (octokit apps.getInstallation)
         * @description Returns one installation of the caller's organization (octokit `apps.getInstallation`). An installation linked to another organization answers 404, as if it did not exist.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsGetInstallation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/app/installations/{installation_id}/access_tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint (or reuse a cached) installation token, optionally narrowed (octokit apps.createInstallationAccessToken)
         * @description Mints an installation access token (octokit `apps.createInstallationAccessToken`), or returns a cached one that is still valid for long enough. `repositories`, `repository_ids` and `permissions` narrow it as on GitHub; a narrowed token is never wider than the installation. Side effect: the token is cached (sealed) in Redis or memory until shortly before it expires, never stored in the database.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        post: operations["githubAppsCreateInstallationAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/domain-connect/public-key-records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The TXT records that publish the Domain Connect signing key
         * @description Returns the TXT records that publish the public half of the hub's Domain Connect signing key (`DOMAIN_CONNECT_KEY_ID`), to be set in DNS so DNS providers can verify the hub's signed apply URLs. Public.
         *
         *     **Who may call:** public, no key (The public key is meant to be published in DNS).
         */
        get: operations["getDomainConnectPublicKeyRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/github/app-manifest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The GitHub App manifest form for this hub (GitHub's manifest flow)
         * @description Answers the manifest (permissions, events, webhook, setup and callback URLs of this hub) and a self-submitting form that posts it to GitHub's App registration page (github.com or GITHUB_WEB_URL for Enterprise Server), for a user or a GitHub organization. GitHub then redirects to the callback, which stores the new App. 409 when the hub already has an App.
         *
         *     **Who may call:** a key with `organization:write`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         */
        post: operations["createGithubAppManifest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/github/app-manifest/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where GitHub returns after creating the App from the manifest
         * @description Exchanges GitHub's one-hour code (`POST /app-manifests/{code}/conversions`) and stores the App's id, slug, private key, client id and secret and webhook secret, sealed. The hub uses them from then on wherever GITHUB_APP_* settings are absent.
         *
         *     **Who may call:** public, no key (GitHub App manifest callback, authenticated by its single-use state).
         */
        get: operations["completeGithubAppManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process serves requests
         * @description Liveness probe: answers 200 as long as the process serves HTTP. It checks no dependency (see `/api/readyz`). Public; also served by worker processes.
         *
         *     **Who may call:** public, no key (Liveness probe).
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/installation/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Repositories an installation token reaches (octokit apps.listReposAccessibleToInstallation); the installations’ repositories_url
         * @description Lists the repositories an installation token reaches (octokit `apps.listReposAccessibleToInstallation`), passed through from GitHub. Authenticated by an installation token the hub minted (`Authorization: token ghs_...`), not by a hub key, exactly as on GitHub; this is the `repositories_url` of the installations the hub returns.
         *
         *     **Who may call:** public, no key (Authenticated by an installation token this hub minted (`Authorization: token <token>`), as on GitHub; GitHub answers).
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsListReposAccessibleToInstallation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/installations/{installation_id}/access_tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint (or reuse a cached) installation access token, optionally narrowed
         * @description Mints an installation access token for an installation of the caller's organization, or returns a cached one that is still valid long enough, on GitHub's 2016 preview path. `repositories`/`repository_ids` and `permissions` narrow it. Errors carry GitHub's `{message, documentation_url}` beside the hub's fields. The token is cached sealed, never written to the database.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows GitHub's 2016 Integrations preview API; errors carry GitHub's `{message, documentation_url}` beside the hub's fields.
         */
        post: operations["createGithubInstallationToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/installations/{installation_id}/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Repositories an installation can reach (cached, paginated)
         * @description Lists the repositories an installation of the caller's organization can reach, paged GitHub-style (`per_page`, `page`, `Link`). Answers from a short-lived cache, refreshed from GitHub when stale.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's 2016 Integrations preview API; errors carry GitHub's `{message, documentation_url}` beside the hub's fields.
         */
        get: operations["listGithubInstallationRepositories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integration/identity/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The caller's linked GitHub user
         * @description Returns the GitHub user linked to the calling hub user (through a GitHub OAuth authorization) on GitHub's 2016 preview path. `nonce` is echoed for the caller's replay protection. 404 when the user has no linked GitHub account.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's 2016 Integrations preview API; errors carry GitHub's `{message, documentation_url}` beside the hub's fields.
         */
        post: operations["getGithubUserIdentity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integration/installations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's GitHub App installations (GitHub-shaped, paginated)
         * @description Lists the GitHub App installations of the caller's organization on GitHub's 2016 Integrations preview path, GitHub-shaped and paged with `per_page`/`page` and a `Link` header.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's 2016 Integrations preview API; errors carry GitHub's `{message, documentation_url}` beside the hub's fields.
         */
        get: operations["listGithubInstallations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the integrations of the workspace
         * @description Lists the workspace-level integrations of the caller's organization (one entry per connected provider account), TinyOps-shaped.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        get: operations["listWorkspaceIntegrations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{integration_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an integration object
         * @description Returns one integration of the caller's organization by its snowflake id, in vRaptor's integration object shape. An integration of another organization answers 404.
         *
         *     **Who may call:** a key with `integration:read`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         *
         *     **Dialect:** follows vRaptor's integration object API; errors in the hub's body.
         */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update configuration and/or enabled (partial)
         * @description Partially updates an integration: `configuration` (validated against the provider's schema) and/or `enabled`. Disabling does not disconnect; enabling a disconnected integration is refused (409).
         *
         *     **Who may call:** a key with `integration:write`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         *
         *     **Dialect:** follows vRaptor's integration object API; errors in the hub's body.
         */
        patch: operations["updateIntegration"];
        trace?: never;
    };
    "/api/integrations/{integration_id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue a sync of repositories/metadata; the integration must be enabled
         * @description Queues a sync of the integration's repositories and metadata and answers at once. The integration must be enabled (400) and connected (409). Needs the queue (503 when Redis is down).
         *
         *     **Who may call:** a key with `integration:write`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         *
         *     **Dialect:** follows vRaptor's integration object API; errors in the hub's body.
         */
        post: operations["syncIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{kind}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The provider's redirect back: validates the state, connects, redirects to next
         * @description Where the provider sends the browser back after an install or OAuth consent. Checks the single-use `state` minted by `authorize`, exchanges the code (never stored), connects the integration and redirects to the `next` the flow started with. Public: authenticated by its state. Errors follow PostHog's DRF body.
         *
         *     **Who may call:** public, no key (Authenticated by its single-use state).
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["integrationCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The actions this provider supports
         * @description Lists the actions (`label`, `comment`, `notify`, `create_issue`, ...) a provider supports, for use in policies.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        get: operations["listProviderActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The checks this provider supports
         * @description Lists the checks (`branch_protection`, `ci_status`, ...) a provider supports, for use in policies.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        get: operations["listProviderChecks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect a provider: validates credentials, or answers with the authorize URL
         * @description Connects a provider at workspace level. Providers connected by token or webhook URL have their credentials validated with a live call before anything is stored (sealed); providers connected through a browser flow (GitHub App, OAuth) answer with the authorize URL to open instead. The body's fields depend on the path's `{provider}`. Side effects: an `integration.connected` event and an audit entry.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        post: operations["connectWorkspaceIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/disconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disconnect one or every integration of a provider; dependent policies are disabled
         * @description Disconnects one integration of the provider (`integrationId`) or every one. Every policy that depends on a disconnected integration is disabled with the reason recorded; reconnecting does not re-enable them. Emits `integration.disconnected`.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        post: operations["disconnectWorkspaceIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Checks the connection with a live call to the provider
         * @description Checks the integration with a cheap authenticated call to the provider (GitHub `GET /app/installations/{id}`, Slack `auth.test`, GitLab `GET /user`, Jira `GET /myself`, ...) and records the outcome on the integration.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        get: operations["checkProviderHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/{provider}/repos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Repositories/projects reachable through the integration (paginated, searchable)
         * @description Lists the repositories or projects reachable through the provider's integration, paged with `page` and filtered by `search`, read live from the provider.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows TinyOps' integrations API; errors in the hub's body.
         */
        get: operations["listProviderRepos"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-baseline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's baseline policy (the default until edited)
         * @description Returns the organization's scan baseline: the rules every scanned repository is checked against. Until edited it is the hub's default baseline.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanBaseline"];
        /**
         * Edit the baseline; omitted fields keep their value. Applies from the next scan
         * @description Edits the baseline; fields left out keep their value. It applies from the next scan (findings of completed scans are not recomputed). Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        put: operations["updateGithubScanBaseline"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-cache/invalidate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Drop the kept GitHub responses so the next scan reads unconditionally (webhooks announcing changes do the same)
         * @description Drops the GitHub responses the scanner keeps for conditional requests, so the next scan reads every repository unconditionally. Webhooks that announce changes invalidate the affected entries on their own.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        post: operations["invalidateGithubScanCache"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the queued or running scan
         * @description Cancels the organization's queued or running scan. Repositories already scanned keep their results but the scan never becomes the last completed one. 409 when no scan is queued or running.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        post: operations["cancelGithubOrgScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What changed since the previous completed scan (or the scan or date named by `since`) up to the last one
         * @description Compares the last completed scan with the previous one (or with the scan or date named by `since`): repositories added, removed and renamed, field changes and findings added or resolved per repository.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-exemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Acknowledged findings and exempt repositories (active and expired)
         * @description Lists the organization's acknowledgements (a finding accepted for one repository and check) and exemptions (a repository left out), active and expired.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["listGithubScanExemptions"];
        put?: never;
        /**
         * Acknowledge a finding (repo and check) or exempt a repository (repo alone), with a reason and an expiry (audited)
         * @description Acknowledges a finding (`repo` and `check`) or exempts a repository (`repo` alone) until `expiresAt`, with a reason. Acknowledged findings and exempt repositories are reported as suppressed, not removed. Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        post: operations["createGithubScanExemption"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-exemptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an acknowledgement or exemption (audited)
         * @description Revokes an acknowledgement or exemption before it expires; the next results show the findings again. Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        delete: operations["deleteGithubScanExemption"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every repository of the last completed scan with its snapshot, findings or not (paged)
         * @description Lists every repository of the last completed scan with what was read about it, with or without findings, paged with `page`/`per_page`.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["listGithubScanInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a scan of every connected installation (returns the running scan if one is under way)
         * @description Queues a scan of every repository reachable through the organization's connected GitHub installations and answers at once; follow it with `scan-progress`. Only one scan per organization runs at a time across all replicas: if one is under way, its progress is returned instead of starting another. Needs the queue (503 when Redis is down).
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        post: operations["startGithubOrgScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the installations' actual permissions suffice to scan
         * @description Asks GitHub for each connected installation's granted permissions and compares them with what a scan needs, naming what is missing.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanPermissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Progress of the current (or last) scan
         * @description Progress of the organization's current scan, or of the last one when none is running: status, repositories scanned out of the total, start and end times and the error of a failed scan.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanProgress"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Findings of the last completed scan (paged, filtered by repo, check, severity), as JSON, SARIF 2.1.0 or CSV
         * @description Findings of the last completed scan, filtered by `repo`, `check` and `severity`, paged with `page`/`per_page`. `Accept: application/sarif+json` answers SARIF 2.1.0 and `text/csv` a CSV file (or `format=`). Suppressed findings (acknowledged or exempt) are left out unless `suppressed` asks for them.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["listGithubScanResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's scheduled scans (cron, UTC) and when the next is due
         * @description Returns the organization's scan schedule (a five-field cron expression, UTC), when the next scheduled scan is due and when one last ran.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanSchedule"];
        /**
         * Scan the organization on a cron schedule (five fields, UTC)
         * @description Sets the cron schedule (five fields, UTC) on which the organization is scanned; the scheduler starts scans on every replica's behalf exactly once.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        put: operations["updateGithubScanSchedule"];
        post?: never;
        /**
         * Stop scheduled scans
         * @description Removes the organization's scan schedule; no further scheduled scans start (a running one continues).
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        delete: operations["deleteGithubScanSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/github/scan-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * When the last scan completed, and the status of the latest
         * @description When the organization's last scan completed and the status of the latest one, for a cheap poll.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows TinyOps' org scanning API; errors in the hub's body.
         */
        get: operations["getGithubScanStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invites/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept an invite: returns the user and their first API key
         * @description Exchanges a one-time invite token for membership: creates the user (or adds an existing one) with the invited role and returns their first personal API key, with every scope the role allows. The token works once and expires after 7 days. Public: authenticated by the token itself.
         *
         *     **Who may call:** public, no key (Authenticated by the single-use invite token).
         */
        post: operations["acceptInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Instance-level Prometheus metrics of this process. Requires `Authorization: Bearer <METRICS_TOKEN>`; answers 404 when METRICS_TOKEN is unset (METRICS_PORT serves them on loopback instead).
         *
         *     **Who may call:** public, no key (Instance metrics: authenticated by METRICS_TOKEN, never by an API key).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's organizations
         * @description Lists the organizations the calling user belongs to (for a key pinned to an organization, only that one).
         *
         *     **Who may call:** a key with `organization:read`.
         */
        get: operations["listOrganizations"];
        put?: never;
        /**
         * Create an organization owned by the caller
         * @description Creates an organization with the caller as its owner.
         *
         *     **Who may call:** a key with `organization:write`.
         */
        post: operations["createOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an organization
         * @description Returns one organization the caller is a member of; any other answers 404.
         *
         *     **Who may call:** a key with `organization:read`, held by any member of the organization.
         */
        get: operations["getOrganization"];
        put?: never;
        post?: never;
        /**
         * Delete an organization and everything it owns
         * @description Owners only, with the name as confirmation (`{"confirm": "<name>"}`). Removes projects, integrations, policies, app connections, GitHub installations and scans, webhooks and events, invites, memberships, keys pinned to it, outbox mail and the audit log. Nothing is revoked at the providers.
         *
         *     **Who may call:** a key with `organization:write`, held by an owner of the organization.
         */
        delete: operations["deleteOrganization"];
        options?: never;
        head?: never;
        /**
         * Rename an organization
         * @description Renames an organization. Needs `MANAGE_ORGANISATION` (owner or admin).
         *
         *     **Who may call:** a key with `organization:write`, held by an owner or admin of the organization.
         */
        patch: operations["updateOrganization"];
        trace?: never;
    };
    "/api/organizations/{org_id}/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's audit log, newest first, filterable by action, target, actor and time
         * @description The organization's audit log, newest first: who did what to which target. Filter with `action`, `target`, `actor`, `since` and `until`; paged with `limit`/`offset` and `next`.
         *
         *     **Who may call:** a key with `organization:read`, held by an owner or admin of the organization.
         */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an organization's invites (tokens are never shown again)
         * @description Lists the organization's invites, pending and accepted. Tokens are shown only when an invite is created.
         *
         *     **Who may call:** a key with `organization:read`, held by an owner or admin of the organization.
         */
        get: operations["listInvites"];
        put?: never;
        /**
         * Invite someone by email; returns a one-time token
         * @description Invites someone by email with a role. Returns a one-time token valid for 7 days, also emailed when SMTP is configured. Only owners may invite owners.
         *
         *     **Who may call:** a key with `organization:write`, held by an owner or admin of the organization.
         */
        post: operations["createInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/invites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an unaccepted invite
         * @description Revokes an invite that was not accepted yet; its token stops working.
         *
         *     **Who may call:** a key with `organization:write`, held by an owner or admin of the organization.
         */
        delete: operations["revokeInvite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the members of an organization
         * @description Lists the organization's members with their roles.
         *
         *     **Who may call:** a key with `organization:read`, held by any member of the organization.
         */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member (the last owner cannot be removed)
         * @description Removes a member from the organization; their keys stop working for it. Only owners remove owners, and the last owner cannot be removed.
         *
         *     **Who may call:** a key with `organization:write`, held by an owner or admin of the organization.
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role (only owners grant or remove owner)
         * @description Changes a member's role. Only owners grant or remove `owner`; the last owner cannot be demoted.
         *
         *     **Who may call:** a key with `organization:write`, held by an owner or admin of the organization.
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/api/organizations/{org_id}/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's outbox
         * @description Mail the hub sent or still holds for this organization, newest first, with status and attempts; never the bodies.
         *
         *     **Who may call:** a key with `organization:read`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/outbox/{email_id}/discard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Never send an outbox email
         * @description Marks an unsent email discarded: it is kept for the record and never delivered.
         *
         *     **Who may call:** a key with `organization:write`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         */
        post: operations["discardOutboxEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/outbox/{email_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an outbox email again now
         * @description Queues an unsent or discarded email for delivery at once (relevance is checked again at send time).
         *
         *     **Who may call:** a key with `organization:write`, held by a member holding `MANAGE_ORGANISATION` (owners and admins).
         */
        post: operations["retryOutboxEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an organization's projects
         * @description Lists the organization's projects; every member sees them.
         *
         *     **Who may call:** a key with `project:read`, held by any member of the organization.
         */
        get: operations["listProjects"];
        put?: never;
        /**
         * Create a project
         * @description Creates a project in the organization.
         *
         *     **Who may call:** a key with `project:write`, held by an owner or admin of the organization.
         */
        post: operations["createProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/proxy_records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the organization's reverse proxy records
         * @description Lists the organization's reverse proxy records (custom domains pointed at a hub-generated CNAME target).
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["listProxyRecords"];
        put?: never;
        /**
         * Create a reverse proxy record with a generated CNAME target
         * @description Creates a reverse proxy record for a domain with a generated CNAME target; apply the DNS change through Domain Connect (`apply-url`) or by hand. 409 when the domain has a record already.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["createProxyRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/proxy_records/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a reverse proxy record
         * @description Returns one reverse proxy record of the organization.
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["getProxyRecord"];
        put?: never;
        post?: never;
        /**
         * Delete a reverse proxy record
         * @description Deletes a reverse proxy record. The DNS record itself is left to the domain's owner.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        delete: operations["deleteProxyRecord"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's webhook subscriptions (secrets are never shown again)
         * @description Lists the organization's webhook subscriptions. Signing secrets are shown only on create and roll.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribe an endpoint to events; the signing secret is in this response only
         * @description Subscribes an HTTPS endpoint to events of the organization. Deliveries follow Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL is checked by the outbound guard. The signing secret is in this response only.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook subscription
         * @description Returns one webhook subscription, without its secret.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a subscription and its delivery log
         * @description Deletes a subscription and its delivery log; pending deliveries are dropped.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change the URL, events, description or enabled state
         * @description Changes a subscription's URL, events, description or enabled state. Disabling stops new deliveries; pending ones wait.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The delivery log, newest first: status, attempts, last response and next attempt
         * @description The subscription's delivery log, newest first: status, attempts, the last error and when the next attempt is due; filter with `status`, paged with `limit`/`offset`.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks/{id}/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now (same event id)
         * @description Queues the delivery again now, with the same event id (`webhook-id`) so receivers can deduplicate. 409 while it is being attempted or when the subscription is disabled.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks/{id}/roll-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret; the old one keeps signing beside it for the grace period
         * @description Replaces the signing secret. For the grace period the old secret keeps signing beside the new one (two signatures in `webhook-signature`), so receivers can switch without losing deliveries.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["rollWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{org_id}/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event to this subscription
         * @description Queues a `webhook.test` event to this subscription only, to check the receiver end to end. 409 when the subscription is disabled.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orgs/{org}/installation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's installation on a GitHub organization (octokit apps.getOrgInstallation)
         * @description Returns the organization's installation on a GitHub organization account (octokit `apps.getOrgInstallation`). 404 when none of the hub organization's installations is on that account.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsGetOrgInstallation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/personal_api_keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's active keys (never their values)
         * @description Lists the caller's active personal API keys: label, scopes, mask and times. Values are never shown again.
         *
         *     **Who may call:** a key with `personal_api_key:read`.
         */
        get: operations["listPersonalApiKeys"];
        put?: never;
        /**
         * Create a key with at most the scopes the calling key holds
         * @description Creates a personal API key for the calling user. A key can only create keys with scopes it holds itself, never above the user's role, optionally pinned to one organization and expiring. The value is in this response only; the hub keeps its SHA-256 hash.
         *
         *     **Who may call:** a key with `personal_api_key:write`.
         */
        post: operations["createPersonalApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/personal_api_keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a key
         * @description Revokes one of the caller's keys; it answers 401 from then on.
         *
         *     **Who may call:** a key with `personal_api_key:write`.
         */
        delete: operations["revokePersonalApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/personal_api_keys/{id}/roll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a key with a new value; the old value stops working
         * @description Replaces a key's value, keeping its label, scopes and pin; the old value stops working at once.
         *
         *     **Who may call:** a key with `personal_api_key:write`.
         */
        post: operations["rollPersonalApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the workspace policies
         * @description Lists the organization's workspace policies.
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["listPolicies"];
        put?: never;
        /**
         * Create a policy over a connected integration
         * @description Creates a policy over a connected integration of the provider, using one of its checks or actions (see the provider's `checks`/`actions`).
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        post: operations["createPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/policies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a policy
         * @description Returns one policy of the organization.
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        /**
         * Delete a policy
         * @description Deletes a policy.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        delete: operations["deletePolicy"];
        options?: never;
        head?: never;
        /**
         * Update a policy (re-enabling needs a connected integration)
         * @description Changes a policy. Re-enabling one needs a connected integration of its provider (policies disabled by a disconnect stay disabled until then).
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         */
        patch: operations["updatePolicy"];
        trace?: never;
    };
    "/api/projects/{project_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a project
         * @description Returns one project; any member of its organization may read it, anyone else gets 404.
         *
         *     **Who may call:** a key with `project:read`, held by any member of the organization.
         */
        get: operations["getProject"];
        put?: never;
        post?: never;
        /**
         * Delete a project and everything that belongs to it
         * @description Deletes a project and everything that belongs to it (its integrations, their policies and access requests).
         *
         *     **Who may call:** a key with `project:write`, held by an owner or admin of the organization.
         */
        delete: operations["deleteProject"];
        options?: never;
        head?: never;
        /**
         * Rename a project
         * @description Renames a project.
         *
         *     **Who may call:** a key with `project:write`, held by an owner or admin of the organization.
         */
        patch: operations["updateProject"];
        trace?: never;
    };
    "/api/projects/{project_id}/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the project's integrations (?kind=, limit/offset, oldest first)
         * @description Lists the project's integrations oldest first, filtered by `kind`, paged like PostHog with `limit`/`offset` and `{count, next, previous, results}`.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listProjectIntegrations"];
        put?: never;
        /**
         * Create an email-domain, token or webhook integration directly, or finish a GitHub setup
         * @description Email domains, token and webhook kinds are created from their `config`. `kind: "github"` with `config: {installation_id, state, code}` finishes the GitHub setup as upstream does: `state` is the single-use state of this user's `authorize?kind=github` for this project, `code` the user OAuth code GitHub returned, and the user's GitHub account must see the installation. Any project member may add an integration; re-submitting one the project already has takes a project admin (403 "Editing an existing integration requires project admin access.").
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["createProjectIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve one integration of the project
         * @description Returns one integration of the project, PostHog-shaped; secrets never appear.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["getProjectIntegration"];
        /**
         * Not offered, as upstream: integrations are changed by connecting again
         * @description Not offered, as upstream PostHog: integrations change by connecting again. Always 405.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        put: operations["replaceProjectIntegration"];
        post?: never;
        /**
         * Delete an integration; refused while enabled policies use it
         * @description Deletes an integration of the project and its sealed credentials; refused (400) while enabled policies use it. Emits `integration.disconnected`.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        delete: operations["deleteProjectIntegration"];
        options?: never;
        head?: never;
        /**
         * Not offered, as upstream: integrations are changed by connecting again
         * @description Not offered, as upstream PostHog: integrations change by connecting again. Always 405.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        patch: operations["updateProjectIntegration"];
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/{id}/github_branches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page of the branches of one repository the GitHub integration reaches
         * @description PostHog's `github_branches`: `repo` (owner/repo, required) is checked before the integration is looked up; the default branch comes first, `search` filters case-insensitively, `limit` is 1-1000 (default 100). A repository the installation does not reach is 404. Project members may call it.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listProjectIntegrationGithubBranches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/{id}/github_repos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page of the repositories a GitHub integration's installation reaches
         * @description PostHog's `github_repos`: the installation's repositories from the hub's repository cache (filled from GitHub with an installation token when empty or expired), filtered by `search` (case-insensitive, on the full name) and paged with `limit` (1-500, default 100) and `offset`. Project members may call it.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listProjectIntegrationGithubRepos"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/{id}/github_repos/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-read a GitHub integration's repositories from GitHub
         * @description PostHog's `github_repos/refresh`: replaces the cached repository list with GitHub's. When the installation is uninstalled or suspended it answers the last cached list with `installation_status: unavailable` instead of failing. Project members may call it (upstream's light management permission).
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["refreshProjectIntegrationGithubRepos"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/{id}/github_teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page of the teams of the GitHub integration's organization
         * @description PostHog's `github_teams`: the installation organization's teams (the App needs the `members` permission), filtered by `search` on name or slug, paged with `limit` (1-500, default 100) and `offset`. A GitHub failure is upstream's 400 "Unable to fetch GitHub teams...". Project members may call it.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listProjectIntegrationGithubTeams"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/access_requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the project's integration access requests, newest first
         * @description Lists the project's integration access requests, newest first, optionally by `status`. Project admins only.
         *
         *     **Who may call:** a key with `integration:read`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listIntegrationAccessRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/access_requests/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or dismiss an access request
         * @description Approves or dismisses a pending access request, with an optional note for the requester. 409 when it is resolved already. Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["resolveIntegrationAccessRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start a provider's browser flow (GitHub App install or OAuth): redirects with a single-use state
         * @description Project members may start it, as upstream (a GET under its strict management permission), since members may add integrations. Upstream refuses personal API keys here ("This action does not support personal API key access": `authorize` is in neither of its scope lists); the hub accepts them, because personal API keys are its only credentials (it has no browser sessions), and asks for `integration:write`.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["authorizeProjectIntegration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/domain-connect/apply-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Build the signed Domain Connect apply URL for an email domain or a proxy record
         * @description Builds the signed Domain Connect apply URL that lets the domain's owner apply the DNS records of an email domain integration or a proxy record at their DNS provider in one click. Checks that the provider supports Domain Connect and hosts the template first.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["createDomainConnectApplyUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/domain-connect/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the domain's DNS provider supports Domain Connect
         * @description Discovers whether the domain's DNS provider supports Domain Connect (TXT `_domainconnect` and the provider's settings endpoint, within `DOMAIN_CONNECT_PROVIDERS`).
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["checkDomainConnect"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/domain-connect/template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the domain's DNS provider hosts the context's template
         * @description Asks the domain's DNS provider whether it hosts the hub's template for the context (email verification or reverse proxy).
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["checkDomainConnectTemplate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/github/available_installations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Installations of sibling projects the caller could link
         * @description Lists the GitHub installations of sibling projects (same organization) that the caller could link to this project with `link_existing`.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        get: operations["listAvailableGithubInstallations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/github/link_existing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reuse a GitHub installation already linked to a sibling project of the same organization
         * @description Give `source_team_id` (a sibling project of the organization, by its uuid) or `installation_id`; an empty body is 400 "source_team_id or installation_id is required". Project members may call it (as upstream), but a member who is not a project admin must first link a personal GitHub account that sees the installation (400 `github_link_existing_personal_github_required`).
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["linkExistingGithubInstallation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/github/oauth_authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a user OAuth URL to bootstrap a fresh code when the install flow returns without one
         * @description As upstream, the body is read leniently: `installation_id` (text or number) is required, `next` must be relative, `connect_from` is kept with the state only when it is `posthog_code`. Project members may call it.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["githubOauthAuthorize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/github/prepare_callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Seed the state of a GitHub setup callback without redirecting to GitHub
         * @description PostHog's `github/prepare_callback`: before the user manages an existing installation on github.com, issues the single-use state its setup callback is checked against, bound to the user, this project, `next` (relative) and `installation_id` (when given). Project admins only (upstream's strict management permission refuses members with "You don't have sufficient permissions in the project.").
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["prepareGithubCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{project_id}/integrations/request_access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the project's admins to connect an integration (members only)
         * @description Lets a member who may not connect integrations ask the project's admins to connect one, with a reason. Admins are notified by email when SMTP is set. Members only (owners and admins connect it themselves).
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows PostHog's project integrations API (paths, fields, pagination and DRF error bodies).
         */
        post: operations["requestIntegrationAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proxy/{integration_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * GET (and HEAD) on the provider API base itself through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["proxyGetBase"];
        /**
         * PUT on the provider API base itself through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        put: operations["proxyPutBase"];
        /**
         * POST on the provider API base itself through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        post: operations["proxyPostBase"];
        /**
         * DELETE on the provider API base itself through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        delete: operations["proxyDeleteBase"];
        options?: never;
        head?: never;
        /**
         * PATCH on the provider API base itself through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        patch: operations["proxyPatchBase"];
        trace?: never;
    };
    "/api/proxy/{integration_id}/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * GET (and HEAD) on the provider API through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:read`.
         */
        get: operations["proxyGet"];
        /**
         * PUT on the provider API through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        put: operations["proxyPut"];
        /**
         * POST on the provider API through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        post: operations["proxyPost"];
        /**
         * DELETE on the provider API through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        delete: operations["proxyDelete"];
        options?: never;
        head?: never;
        /**
         * PATCH on the provider API through the hub
         * @description Forwards the request to the integration's provider API (GitHub or GitHub Enterprise Server, GitLab, Slack,
         *     the Jira Cloud site, Microsoft Graph for Teams, the Discord webhook, the MantisBT instance) with the integration's
         *     credential attached the way the provider wants it. `path` and the query string are appended to the provider base:
         *     absolute URLs, `.`/`..` and empty segments and backslashes are refused (400). Method, safe headers and the body are
         *     forwarded as a stream; the provider's status, headers (`Link`, `ETag`, `X-RateLimit-*`, ...) and body come back
         *     unchanged, without hop-by-hop and authentication headers. Redirects are not followed: a `Location` beneath the
         *     provider base is rewritten to this proxy, any other is returned as is. A provider 401 gets one credential refresh and
         *     one retry; 429 and 5xx are retried as `X-Hub-Retries` allows, honouring `Retry-After` up to
         *     `PROXY_MAX_RETRY_WAIT_SECONDS`, after which the provider's answer is returned. Bodies above 256 KiB are streamed once
         *     and never retried. Every status the provider answers is passed through; the statuses documented here are the hub's own.
         *
         *     **Who may call:** a key with `integration:write`.
         */
        patch: operations["proxyPatch"];
        trace?: never;
    };
    "/api/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the database and the queue answer
         * @description Checks the database and the queue, and reports each queue's depth and the age of its oldest waiting job.
         *
         *     **Who may call:** public, no key (Readiness probe).
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/repos/{owner}/{repo}/installation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's installation that reaches a repository (octokit apps.getRepoInstallation)
         * @description Returns the organization's installation that reaches a repository (octokit `apps.getRepoInstallation`). 404 when none does.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsGetRepoInstallation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{username}/installation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's installation on a GitHub user account (octokit apps.getUserInstallation)
         * @description Returns the organization's installation on a GitHub user account (octokit `apps.getUserInstallation`). 404 when none is.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows GitHub's Apps API as octokit calls it (GitHub's fields and `{message, documentation_url}` errors); authenticated with a hub key instead of an App JWT.
         */
        get: operations["githubAppsGetUserInstallation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/@me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling user, their organizations and the scopes of the key
         * @description Returns the calling user, the organizations they belong to with their role in each, and the scopes and pinned organization of the key used. Any valid key may call it.
         *
         *     **Who may call:** a key with any scope.
         */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every app's connections in the organization (optionally one project's)
         * @description Lists every app's connections in the organization, optionally one project's (`projectId`), Infisical-shaped. Credentials are redacted.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["listAppConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's GitHub Connections (optionally one project's)
         * @description Lists the organization's GitHub Connections, optionally one project's (`projectId`), with redacted credentials.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["listGithubAppConnections"];
        put?: never;
        /**
         * Create a GitHub Connection from a GitHub App installation and OAuth code
         * @description Creates a GitHub Connection from a GitHub App installation (`github-app`: the setup code and installation id) or a user OAuth code (`oauth`). The code is exchanged once and never kept; the resulting credential is stored sealed. Infisical answers 200, not 201, and so does the hub. Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        post: operations["createGithubAppConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/github/{connectionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A GitHub Connection by id
         * @description Returns a GitHub Connection by id; connections of other organizations answer 404.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["getGithubAppConnection"];
        put?: never;
        post?: never;
        /**
         * Delete a GitHub Connection no integration references
         * @description Deletes a GitHub Connection that no integration references (400 otherwise) and answers with it, as Infisical does. Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        delete: operations["deleteGithubAppConnection"];
        options?: never;
        head?: never;
        /**
         * Rename, describe, move to a gateway or replace the credentials of a GitHub Connection
         * @description Renames, describes, moves to a gateway or replaces the credentials of a GitHub Connection. Concurrent updates are compare-and-swapped on `version` (409 when it moved). Audited.
         *
         *     **Who may call:** a key with `integration:write`, held by an owner or admin of the organization.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        patch: operations["updateGithubAppConnection"];
        trace?: never;
    };
    "/api/v1/app-connections/github/{connectionId}/access-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint (or reuse a cached) installation token for the connection's installation, optionally narrowed
         * @description Mints an installation token for the connection's installation, or returns a cached one, optionally narrowed to repositories and permissions like the broker's.
         *
         *     **Who may call:** a key with `integration:write`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        post: operations["createGithubAppConnectionAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/github/{connectionId}/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Repositories the connection's installation reaches
         * @description Lists the repositories the connection's installation reaches, read from GitHub.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["listGithubAppConnectionRepositories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/github/available": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The GitHub Connections a member may use: the organization's, and a project's when projectId names one
         * @description Lists the GitHub Connections a member may use: the organization's, and the project's when `projectId` names one; no credentials.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["listAvailableGithubAppConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/github/connection-name/{connectionName}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A GitHub Connection by name (organization-level, or in projectId)
         * @description Returns a GitHub Connection by name: organization-level, or the project's when `projectId` is given.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["getGithubAppConnectionByName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/app-connections/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The apps and methods this hub supports, with their setup URLs
         * @description Lists the apps and connection methods this hub supports, with the GitHub App slug to build setup URLs.
         *
         *     **Who may call:** a key with `integration:read`.
         *
         *     **Dialect:** follows Infisical's app connections API (field names, 200 on create, `{reqId, statusCode, message, error}` errors, 422 `ValidationFailure`).
         */
        get: operations["listAppConnectionOptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * GitHub App webhook deliveries: verified, deduplicated, processed on the queue
         * @description Receives the GitHub App's webhook deliveries. The `X-Hub-Signature-256` HMAC is verified with `GITHUB_WEBHOOK_SECRET`, deliveries are deduplicated by `X-GitHub-Delivery` and processed on the queue (installation suspended/deleted, repositories changed, ...). Public: authenticated by the signature.
         *
         *     **Who may call:** public, no key (Authenticated by its X-Hub-Signature-256 HMAC).
         */
        post: operations["receiveGithubWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Outcome of an accepted invite. */
        AcceptedInviteDto: {
            /** @description The organization joined */
            organization: components["schemas"]["OrganizationDto"];
            /** @description The first API key, with its value */
            personal_api_key: components["schemas"]["AcceptedKeyDto"];
            /** @description The user */
            user: components["schemas"]["UserDto"];
        };
        /** @description The invitee's first API key, with its value. */
        AcceptedKeyDto: {
            /**
             * Format: uuid
             * @description Id of the key
             */
            id: string;
            /** @description Its name */
            label: string;
            /** @description Its scopes (everything the role allows) */
            scopes: string[];
            /** @description The key itself; shown only in this response */
            value: string;
        };
        /** @description Body of an invite acceptance. */
        AcceptInviteDto: {
            /**
             * @description The invitee's name
             * @example Ada Lovelace
             */
            name: string;
            /** @description The one-time invite token */
            token: string;
        };
        /** @description A member's request that an admin connect an integration. */
        AccessRequestDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id of the request
             */
            id: string;
            /** @description The provider asked for */
            kind: components["schemas"]["IntegrationProvider"];
            /** @description The admin's note on resolving */
            note: string | null;
            /** @description The requester's reason */
            reason: string;
            /** @description Who asked */
            requested_by: components["schemas"]["AccessRequestUserDto"];
            /**
             * Format: date-time
             * @description When it was resolved
             */
            resolved_at: string | null;
            /**
             * Format: uuid
             * @description The admin who resolved it (user id)
             */
            resolved_by: string | null;
            /** @description pending, approved or dismissed */
            status: components["schemas"]["AccessRequestStatus"];
        };
        /** @description The project's access requests. */
        AccessRequestListDto: {
            /** @description The items of this page */
            results: components["schemas"]["AccessRequestDto"][];
        };
        /**
         * @description approved or dismissed
         * @enum {string}
         */
        AccessRequestResolution: "approved" | "dismissed";
        /**
         * @description State of an access request.
         * @enum {string}
         */
        AccessRequestStatus: "pending" | "approved" | "dismissed";
        /** @description The member who asked. */
        AccessRequestUserDto: {
            /** @description The user's email */
            email: string;
            /**
             * Format: uuid
             * @description The user's id
             */
            id: string;
            /** @description The user's name */
            name: string;
        };
        /** @description An installation access token, as GitHub returns it. */
        AccessTokenDto: {
            /**
             * Format: date-time
             * @description When it expires (ISO 8601)
             */
            expires_at: string;
            /** @description The user the token acts for, or null */
            on_behalf_of: components["schemas"]["GithubUserDto"] | null;
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions: {
                [key: string]: string;
            };
            /** @description When narrowed: GitHub's repository objects */
            repositories?: components["schemas"]["TokenRepositoryDto"][];
            /** @description Whether the installation reaches all of the account's repositories or selected ones */
            repository_selection: components["schemas"]["RepositorySelection"];
            /**
             * @description The installation access token (`ghs_...`)
             * @example ghs_16C7e42F292c6912E7710c838347Ae178B4a
             */
            token: string;
        };
        /** @description A provider's actions. */
        ActionsDto: {
            /** @description The actions */
            actions: components["schemas"]["CapabilityDto"][];
            /** @description The provider */
            provider: components["schemas"]["IntegrationProvider"];
        };
        /**
         * @description Its scopes
         * @enum {string}
         */
        ApiScope: "*" | "integration:read" | "integration:write" | "organization:read" | "organization:write" | "project:read" | "project:write" | "personal_api_key:read" | "personal_api_key:write";
        /**
         * @description The app connected
         * @enum {string}
         */
        AppConnectionApp: "github";
        /** @description An app connection, Infisical-shaped; credentials are redacted. */
        AppConnectionDto: {
            /** @description The app connected */
            app: components["schemas"]["AppConnectionApp"];
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            createdAt: string;
            /** @description The credentials, redacted */
            credentials: components["schemas"]["RedactedGithubCredentialsDto"];
            /** @description HMAC-SHA256 of the canonical credentials; changes exactly when they change */
            credentialsHash: string;
            /** @description Free text */
            description: string | null;
            /**
             * Format: uuid
             * @description Gateway the connection goes through, if any
             */
            gatewayId: string | null;
            /**
             * Format: uuid
             * @description Id of the connection
             */
            id: string;
            /** @description Whether the credentials are managed by the platform (always false here) */
            isPlatformManagedCredentials: boolean;
            /** @description How it authenticates */
            method: components["schemas"]["AppConnectionMethod"];
            /** @description Name, unique in its scope */
            name: string;
            /**
             * Format: uuid
             * @description The organization (hub id)
             */
            orgId: string;
            /** @description The project it belongs to, or null */
            project: components["schemas"]["AppConnectionProjectDto"] | null;
            /**
             * Format: uuid
             * @description The project it belongs to, or null for organization-level
             */
            projectId: string | null;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updatedAt: string;
            /**
             * @description Increases on every change
             * @example 1
             */
            version: number;
        };
        /** @description App connections, wrapped as Infisical does. */
        AppConnectionListDto: {
            /** @description The connections */
            appConnections: components["schemas"]["AppConnectionDto"][];
        };
        /**
         * @description `github-app` (an installation) or `oauth` (a user token); selects the credentials shape
         * @enum {string}
         */
        AppConnectionMethod: "github-app" | "oauth";
        /** @description An app this hub connects and the methods it supports. */
        AppConnectionOptionDto: {
            /** @description The app */
            app: components["schemas"]["AppConnectionApp"];
            /**
             * @description The GitHub App's slug, to build its installation URL
             * @example my-github-app
             */
            appClientSlug: string | null;
            /** @description Methods this hub supports for it */
            methods: components["schemas"]["AppConnectionMethod"][];
            /**
             * @description The app's display name
             * @example GitHub
             */
            name: string;
            /**
             * @description The OAuth client id whose user codes the `oauth` method exchanges (the GitHub App's)
             * @example Iv1.8a61f9b3a7aba766
             */
            oauthClientId: string | null;
            /** @description Where a user installs the app; GitHub then returns the code and installation id */
            setupUrl: string | null;
        };
        /** @description The apps and methods this hub supports. */
        AppConnectionOptionsDto: {
            /** @description The supported apps */
            appConnectionOptions: components["schemas"]["AppConnectionOptionDto"][];
        };
        /** @description The project a connection belongs to (Infisical calls projects workspaces). */
        AppConnectionProjectDto: {
            /**
             * Format: uuid
             * @description The project's id
             */
            id: string;
            /** @description The project's name */
            name: string;
            /**
             * @description The project's slug
             * @example default-project
             */
            slug: string;
            /**
             * @description Infisical project type (always `integrations` here)
             * @example integrations
             */
            type: string;
        };
        /** @description One app connection, wrapped as Infisical does. */
        AppConnectionResponseDto: {
            /** @description The connection */
            appConnection: components["schemas"]["AppConnectionDto"];
        };
        /** @description A signed Domain Connect apply URL. */
        ApplyUrlDto: {
            /**
             * @description The signed apply URL to open in a browser
             * @example https://dash.cloudflare.com/domainconnect/v2/domainTemplates/providers/hub.example/services/reverse-proxy-us/apply?domain=example.com&host=e&target=x.proxy.hub.example&sig=...&key=_dcpubkeyv1
             */
            url: string;
        };
        /** @description Validated by hand in the service so each rule answers with its documented message. */
        ApplyUrlRequestDto: {
            /** @description Which template to apply: email sender verification or reverse proxy */
            context: components["schemas"]["DomainConnectContext"];
            /** @description The email integration (context email) */
            integration_id?: string;
            /** @description A provider from available_providers, when DNS detection failed */
            provider_endpoint?: string;
            /**
             * Format: uuid
             * @description The proxy record (context proxy)
             */
            proxy_record_id?: string;
            /** @description Where the DNS provider sends the user afterwards; must be under SITE_URL */
            redirect_uri?: string;
        };
        /** @description One audited action. */
        AuditEntryDto: {
            /**
             * @description What was done (`object.verb`)
             * @example app_connection.create
             */
            action: string;
            /**
             * Format: uuid
             * @description The user who acted
             */
            actor: string;
            /**
             * @description Non-secret fields: `{field: {old, new}}` for a change, `{field: value}` for what was created; never secrets
             * @example {
             *       "role": {
             *         "new": "admin",
             *         "old": "member"
             *       }
             *     }
             */
            changes: {
                [key: string]: unknown;
            } | null;
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id of the entry
             */
            id: string;
            /**
             * @description The client's address (behind a proxy only with TRUST_PROXY); null from the CLI
             * @example 203.0.113.7
             */
            ip: string | null;
            /** @description The API key the user acted with (`cli` for the admin CLI) */
            key_id: string | null;
            /** @description X-Request-Id of the request that acted */
            request_id: string | null;
            /**
             * @description What it was done to (`type:id`)
             * @example app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a
             */
            target: string;
        };
        /** @description One page of the audit log, newest first. */
        AuditLogPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["AuditEntryDto"][];
        };
        /** @description A connection a member may use, without its credentials (Infisical's `GET /:app/available` item). */
        AvailableAppConnectionDto: {
            /** @description The app */
            app: components["schemas"]["AppConnectionApp"];
            /**
             * Format: uuid
             * @description Id of the connection
             */
            id: string;
            /**
             * @description The connection's name
             * @example my-github-connection
             */
            name: string;
            /**
             * Format: uuid
             * @description The organization (hub id)
             */
            orgId: string;
            /**
             * Format: uuid
             * @description The project it belongs to; null for the organization's own
             */
            projectId: string | null;
        };
        /** @description The connections a member may use. */
        AvailableAppConnectionListDto: {
            /** @description The connections */
            appConnections: components["schemas"]["AvailableAppConnectionDto"][];
        };
        /** @description PostHog's integration object for a GitHub integration. */
        AvailableInstallationDto: {
            /**
             * @description Account it is installed on
             * @example acme
             */
            account_login: string;
            /**
             * @description Organization or User
             * @example Organization
             */
            account_type: string;
            /**
             * @description GitHub installation id
             * @example 12345
             */
            installation_id: string;
            /** @description Sibling projects already using it */
            project_ids: string[];
        };
        /** @description Installations of sibling projects that can be linked. */
        AvailableInstallationsDto: {
            /** @description The items of this page */
            results: components["schemas"]["AvailableInstallationDto"][];
        };
        /** @description A check or action a provider supports. */
        CapabilityDto: {
            /** @description What it checks or does */
            description: string;
            /**
             * @description Identifier used in policies
             * @example branch_protection
             */
            id: string;
            /**
             * @description Display name
             * @example Branch protection
             */
            name: string;
        };
        /** @description A provider's checks. */
        ChecksDto: {
            /** @description The checks */
            checks: components["schemas"]["CapabilityDto"][];
            /** @description The provider */
            provider: components["schemas"]["IntegrationProvider"];
        };
        /** @description An installation token for a connection's installation. */
        ConnectionAccessTokenDto: {
            /**
             * Format: date-time
             * @description When it expires (ISO 8601)
             */
            expires_at: string;
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions: {
                [key: string]: string;
            };
            /** @description The repositories the token reaches (when narrowed) */
            repositories?: components["schemas"]["TokenRepositoryDto"][];
            /** @description Whether the installation reaches all of the account's repositories or selected ones */
            repository_selection: components["schemas"]["RepositorySelection"];
            /**
             * @description The installation access token (`ghs_...`)
             * @example ghs_16C7e42F292c6912E7710c838347Ae178B4a
             */
            token: string;
        };
        /** @description The repositories a connection's installation reaches. */
        ConnectionRepositoriesDto: {
            /** @description The repositories */
            repositories: components["schemas"]["TokenRepositoryDto"][];
        };
        /** @description Outcome of a connect: the integration, or the URL to continue in a browser. */
        ConnectResultDto: {
            /** @description OAuth providers: where to send the user */
            authorizeUrl?: string;
            /** @description False when the provider needs the browser flow: follow authorizeUrl */
            connected: boolean;
            /** @description The integration connected */
            integration?: components["schemas"]["WorkspaceIntegrationDto"];
        };
        /** @description How to narrow the minted token (all optional). */
        CreateAccessTokenDto: {
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            /** @description Repository ids to narrow the token to */
            repository_ids?: number[];
            /**
             * @description On whose behalf the token is requested, answered in on_behalf_of: a GitHub user id (string or number, as in GitHub's example) linked in this organization, or a hub user id (uuid) with a linked GitHub account; 404 otherwise
             * @example 42
             */
            user_id?: string | number;
        };
        /** @description How to narrow the connection's token: the broker's fields (all optional). */
        CreateConnectionAccessTokenDto: {
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            /** @description Repository ids to narrow the token to */
            repository_ids?: number[];
        };
        /** @description A new invite with its one-time token. */
        CreatedInviteDto: {
            /** @description Invited address */
            email: string;
            /**
             * Format: date-time
             * @description When the token lapses (7 days)
             */
            expires_at: string;
            /**
             * Format: uuid
             * @description Id of the invite
             */
            id: string;
            /** @description Role they get */
            role: components["schemas"]["OrgRole"];
            /** @description One-time token; shown only here (and emailed when SMTP is configured) */
            token: string;
        };
        /** @description Create a Discord integration from a webhook URL. */
        CreateDiscordProjectIntegration: {
            /** @description Discord settings */
            config: components["schemas"]["DiscordConnectConfig"];
            /**
             * @description The provider (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            kind: "discord";
        };
        /** @description A new subscription with its signing secret, shown once. */
        CreatedWebhookDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Free text */
            description: string | null;
            /** @description Why the hub disabled the subscription */
            disabled_reason: string | null;
            /** @description Whether deliveries are sent */
            enabled: boolean;
            /** @description Events it receives */
            events: components["schemas"]["WebhookEventType"][];
            /**
             * Format: uuid
             * @description Id of the subscription
             */
            id: string;
            /**
             * Format: date-time
             * @description Until when the previous secret also signs
             */
            previous_secret_expires_at: string | null;
            /**
             * @description The signing secret, shown only here: verify with the standardwebhooks or svix libraries
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
            /** @description Receiver URL */
            url: string;
        };
        /** @description Create an email sender domain integration. */
        CreateEmailProjectIntegration: {
            /** @description Email settings */
            config: components["schemas"]["EmailConnectConfig"];
            /**
             * @description The provider (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            kind: "email";
        };
        /** @description Where to create the GitHub App: for a user account or a GitHub organization (all optional). */
        CreateGithubAppManifestDto: {
            /**
             * @description Permissions beyond the ones the hub itself needs, for the tokens it brokers to your services (name → read, write or admin)
             * @example {
             *       "issues": "write"
             *     }
             */
            extra_permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /**
             * @description GitHub organization to own the App (`/organizations/{org}/settings/apps/new`); omitted: the signed-in GitHub user owns it
             * @example acme
             */
            github_organization?: string;
            /**
             * @description The App's name on GitHub (at most 34 characters; unique on GitHub)
             * @example Acme Integrations Hub
             */
            name?: string;
        };
        /** @description Body of a new GitHub Connection (Infisical): a name, the method and its credentials. */
        CreateGithubConnectionDto: {
            /** @description The credentials of the chosen method */
            credentials: components["schemas"]["GithubAppCredentialsInputDto"] | components["schemas"]["GithubOAuthCredentialsInputDto"];
            /** @description An optional description (trimmed) */
            description?: string | null;
            /**
             * Format: uuid
             * @description A gateway configured on the hub (`GATEWAYS`)
             */
            gatewayId?: string | null;
            /**
             * @description Not supported for GitHub Connections: only `false` is accepted
             * @enum {boolean}
             */
            isPlatformManagedCredentials?: false;
            /** @description `github-app` (an installation) or `oauth` (a user token); selects the credentials shape */
            method: components["schemas"]["AppConnectionMethod"];
            /**
             * @description Slug-friendly name (trimmed first), unique per organization and project
             * @example my-github-connection
             */
            name: string;
            /** @description The project to create the connection in (an unknown id is a 400) */
            projectId?: string;
        };
        /** @description Finish a GitHub App setup (after `authorize?kind=github`). */
        CreateGithubProjectIntegration: {
            /** @description The setup GitHub returned */
            config: components["schemas"]["GithubSetupConfig"];
            /**
             * @description The provider (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            kind: "github";
        };
        /** @description Create a GitLab integration from an access token. */
        CreateGitlabProjectIntegration: {
            /** @description GitLab settings */
            config: components["schemas"]["GitlabConnectConfig"];
            /**
             * @description The provider (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            kind: "gitlab";
        };
        /** @description How to narrow the minted token, on the GitHub face: unknown fields are ignored and the body is optional. */
        CreateInstallationAccessTokenDto: {
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            /** @description Repository ids to narrow the token to */
            repository_ids?: number[];
            /**
             * @description On whose behalf the token is requested, answered in on_behalf_of: a GitHub user id (string or number, as in GitHub's example) linked in this organization, or a hub user id (uuid) with a linked GitHub account; 404 otherwise
             * @example 42
             */
            user_id?: string | number;
        };
        /** @description Body of an invite. */
        CreateInviteDto: {
            /**
             * @description Who to invite
             * @example dev@example.com
             */
            email: string;
            /** @description Role they get (owner only by owners) */
            role: components["schemas"]["OrgRole"];
        };
        /** @description Create a MantisBT integration. */
        CreateMantisbtProjectIntegration: {
            /** @description MantisBT settings */
            config: components["schemas"]["MantisbtConnectConfig"];
            /**
             * @description The provider (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            kind: "mantisbt";
        };
        /** @description Body of a new organization. */
        CreateOrganizationDto: {
            /**
             * @description Name
             * @example Acme
             */
            name: string;
        };
        /** @description Body of a new personal API key. */
        CreatePersonalApiKeyDto: {
            /**
             * Format: uuid
             * @description The organization the key acts on when a request sends no X-Organization-Id (the header still chooses another). Defaults to the pin, else the creating key's own, else the user's only organization; null: none, every request of a user with several organizations must send the header
             */
            default_organization_id?: string | null;
            /**
             * Format: date-time
             * @description When it stops working (none by default)
             */
            expires_at?: string;
            /**
             * @description A name for the key
             * @example ci-token-broker
             */
            label: string;
            /**
             * Format: uuid
             * @description Pin the key to one organization
             */
            scoped_organization_id?: string;
            /**
             * @description Scopes, at most those of the calling key
             * @example [
             *       "integration:read"
             *     ]
             */
            scopes: components["schemas"]["ApiScope"][];
        };
        /** @description Body of a new policy: a check or an action of a connected provider. */
        CreatePolicyDto: {
            /**
             * @description An action of the provider, e.g. `notify`
             * @example notify
             */
            action?: string;
            /**
             * @description A check of the provider, e.g. `branch_protection`
             * @example branch_protection
             */
            check?: string;
            /** @description Settings of the policy (depends on the check or action) */
            config?: {
                [key: string]: unknown;
            };
            /**
             * @description Whether it is active
             * @default true
             */
            enabled: boolean;
            /** @description Default: the first connected integration of the provider */
            integration_id?: string;
            /**
             * @description Name
             * @example Protect main
             */
            name: string;
            /** @description Provider of the connected integration it uses */
            provider: components["schemas"]["IntegrationProvider"];
        };
        /** @description Body of a new project. */
        CreateProjectDto: {
            /**
             * @description Name
             * @example Web app
             */
            name: string;
        };
        /** @description Body of a new reverse proxy record: the domain to point at the hub. */
        CreateProxyRecordDto: {
            /**
             * @description The host name to proxy (IDN allowed)
             * @example e.example.com
             */
            domain: string;
        };
        /** @description Body of an acknowledgement (repo and check) or exemption (repo alone). */
        CreateScanExemptionDto: {
            /** @description The finding acknowledged; omitted: the whole repository is exempt */
            check?: components["schemas"]["ScanCheck"];
            /**
             * Format: date-time
             * @description When the findings count again (in the future, at most a year ahead)
             */
            expiresAt: string;
            /**
             * @description Why (kept in the audit log)
             * @example Decommissioned in Q3; tracked in SEC-412
             */
            reason: string;
            /**
             * @description The repository, as owner/name, or the organization's login for its own findings (settings, Actions defaults)
             * @example acme-org/legacy-api
             */
            repo: string;
        };
        /** @description Body of a new webhook subscription. */
        CreateWebhookDto: {
            /**
             * @description Free text, e.g. who receives it
             * @example Billing service
             */
            description?: string;
            /**
             * @description Whether deliveries start at once
             * @default true
             */
            enabled: boolean;
            /**
             * @description Events to receive
             * @example [
             *       "integration.connected",
             *       "integration.refresh_failed"
             *     ]
             */
            events: components["schemas"]["WebhookEventType"][];
            /**
             * @description https required in production; private addresses are refused
             * @example https://billing.internal.example/hooks/hub
             */
            url: string;
        };
        /** @description Confirmation for deleting an organization: its name, exactly. */
        DeleteOrganizationDto: {
            /** @description The organization's name, exactly: deleting removes everything it owns */
            confirm: string;
        };
        /** @description Which integration of the provider to disconnect (all when omitted). */
        DisconnectIntegrationDto: {
            /** @description Only this integration; otherwise every integration of the provider in the workspace */
            integrationId?: string;
        };
        /** @description What a disconnect did. */
        DisconnectResultDto: {
            /** @description Ids of the policies disabled because they depend on them */
            disabledPolicies: string[];
            /** @description Ids of the integrations disconnected */
            disconnected: string[];
        };
        /** @description Discord by webhook URL (without one, the OAuth flow starts). */
        DiscordConnectBody: {
            /**
             * @description Incoming webhook URL (`https://discord.com/api/webhooks/...`)
             * @example https://discord.com/api/webhooks/123/abc
             */
            webhook_url: string;
        };
        /** @description Discord: an incoming webhook URL of the channel. */
        DiscordConnectConfig: {
            /**
             * @description Incoming webhook URL (`https://discord.com/api/webhooks/...`)
             * @example https://discord.com/api/webhooks/123/abc
             */
            webhook_url: string;
        };
        /** @description The domain's DNS provider as Domain Connect discovery found it. */
        DnsProviderDto: {
            /**
             * @description The provider's Domain Connect endpoint host
             * @example domainconnect.vercel.com
             */
            endpoint: string;
            /**
             * @description The DNS provider's name
             * @example Vercel
             */
            name: string;
        };
        /** @description Whether the domain's DNS provider supports Domain Connect. */
        DomainConnectCheckDto: {
            /** @description The allow-list, when detection failed, so a UI can offer a manual choice */
            available_providers: components["schemas"]["DnsProviderDto"][];
            /**
             * @description The DNS provider, when discovered
             * @example Cloudflare
             */
            provider_name: string | null;
            /** @description Whether the DNS provider supports Domain Connect */
            supported: boolean;
        };
        /**
         * @description What a Domain Connect template sets up: email sender verification or a reverse proxy.
         * @enum {string}
         */
        DomainConnectContext: "email" | "proxy";
        /** @description A finding that appeared or disappeared. */
        DriftFindingDto: {
            /**
             * @description A check of the provider, e.g. `branch_protection`
             * @example branch_protection
             */
            check: string;
            /** @description What is wrong */
            message: string;
            /** @description How serious the finding is */
            severity: components["schemas"]["FindingSeverity"];
        };
        /** @description Email sender domain. */
        EmailConnectBody: {
            /**
             * @description The three DKIM tokens (CNAME records)
             * @example [
             *       "a1b2c3",
             *       "d4e5f6",
             *       "g7h8i9"
             *     ]
             */
            dkim_tokens: string[];
            /**
             * @description Sender domain (required unless `email` is given; must be its domain when both are)
             * @example mail.example.com
             */
            domain?: string;
            /**
             * @description PostHog's shape: the sender address; its domain becomes the integration's (free webmail domains are refused)
             * @example hello@mail.example.com
             */
            email?: string;
            /**
             * @description MAIL FROM subdomain
             * @example bounce
             */
            mail_from_subdomain?: string;
            /**
             * @description PostHog's shape: the sender's display name
             * @example Example Co
             */
            name?: string;
            /**
             * @description PostHog's `provider`: only `ses`
             * @enum {string}
             */
            provider?: "ses";
            /**
             * @description Sending region of the mail provider
             * @example us-east-1
             */
            region: string;
            /**
             * @description Domain verification token (TXT record value)
             * @example pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=
             */
            verify_token: string;
        };
        /** @description Email sender domain settings: the domain (or, in PostHog's shape, the sender `email` and `name`) and the verification and DKIM tokens SES issued for it (the hub checks the DNS records; it does not create the SES identity itself). */
        EmailConnectConfig: {
            /**
             * @description The three DKIM tokens (CNAME records)
             * @example [
             *       "a1b2c3",
             *       "d4e5f6",
             *       "g7h8i9"
             *     ]
             */
            dkim_tokens: string[];
            /**
             * @description Sender domain (required unless `email` is given; must be its domain when both are)
             * @example mail.example.com
             */
            domain?: string;
            /**
             * @description PostHog's shape: the sender address; its domain becomes the integration's (free webmail domains are refused)
             * @example hello@mail.example.com
             */
            email?: string;
            /**
             * @description MAIL FROM subdomain
             * @example bounce
             */
            mail_from_subdomain?: string;
            /**
             * @description PostHog's shape: the sender's display name
             * @example Example Co
             */
            name?: string;
            /**
             * @description PostHog's `provider`: only `ses`
             * @enum {string}
             */
            provider?: "ses";
            /**
             * @description Sending region of the mail provider
             * @example us-east-1
             */
            region: string;
            /**
             * @description Domain verification token (TXT record value)
             * @example pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=
             */
            verify_token: string;
        };
        /** @description The hub's standard error body. */
        ErrorBodyDto: {
            /**
             * @description Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)
             * @example PROJECT_NOT_FOUND
             */
            code: components["schemas"]["ErrorCode"];
            /**
             * @description Same text as message; present on 429 responses with code `rate_limited` (a provider rate limit), whose Retry-After header says when to retry
             * @example GitHub API rate limit exceeded. Please retry later.
             */
            detail?: string;
            /** @description Field-level details (validation errors) */
            details?: {
                [key: string]: unknown;
            }[];
            /**
             * @description What went wrong, for people
             * @example Project not found
             */
            message: string;
            /**
             * @description Same as the X-Request-Id response header
             * @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10
             */
            requestId: string;
            /**
             * @description The HTTP status
             * @example 404
             */
            statusCode: number;
        };
        /**
         * @description Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)
         * @enum {string}
         */
        ErrorCode: "BAD_REQUEST" | "FORBIDDEN" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "UNPROCESSABLE_ENTITY" | "INTERNAL_ERROR" | "VALIDATION_FAILED" | "MALFORMED_JSON" | "UPSTREAM_UNREACHABLE" | "rate_limited" | "BODY_TOO_COMPLEX" | "URI_TOO_LONG" | "INVALID_URL" | "OUTBOUND_BLOCKED" | "SERVICE_UNAVAILABLE" | "UNAUTHENTICATED" | "METRICS_TOKEN_INVALID" | "METRICS_NOT_ENABLED" | "CREDENTIALS_MISSING" | "RATE_LIMITED" | "ROUTE_NOT_DECLARED" | "MISSING_SCOPE" | "MISSING_PERMISSION" | "MISSING_ROLE" | "ORGANIZATION_REQUIRED" | "ORGANIZATION_NOT_FOUND" | "PROJECT_NOT_FOUND" | "MEMBER_NOT_FOUND" | "LAST_OWNER" | "OWNER_REQUIRED" | "KEY_PINNED" | "SCOPE_NOT_HELD" | "SCOPE_ABOVE_ROLE" | "PERSONAL_API_KEY_NOT_FOUND" | "PERSONAL_API_KEY_CONFLICT" | "OUTBOX_EMAIL_NOT_FOUND" | "OUTBOX_EMAIL_SENT" | "CONFIRMATION_REQUIRED" | "INVITE_NOT_FOUND" | "INVITE_INVALID" | "INTEGRATION_NOT_FOUND" | "INTEGRATION_NOT_CONNECTED" | "INTEGRATION_DISABLED" | "INTEGRATION_IN_USE" | "INTEGRATION_OVERWRITE_FORBIDDEN" | "INTEGRATION_ERROR" | "INVALID_CONFIGURATION" | "CREDENTIAL_DESTINATION_LOCKED" | "PROVIDER_NOT_FOUND" | "KIND_NOT_SUPPORTED" | "KIND_NOT_CONFIGURED" | "KIND_REQUIRES_AUTHORIZE" | "OAUTH_FLOW_REQUIRED" | "INVALID_NEXT" | "STATE_MISSING" | "STATE_MISMATCH" | "STATE_INVALID" | "PROVIDER_DENIED" | "CODE_MISSING" | "CODE_REJECTED" | "TOKEN_REFRESH_FAILED" | "TOKEN_REFRESH_UNAVAILABLE" | "INVALID_CREDENTIALS" | "INVALID_CREDENTIALS_INPUT" | "INVALID_EMAIL_CONFIG" | "NO_DISCORD_WEBHOOK" | "NO_JIRA_SITE" | "PROVIDER_ERROR" | "PROVIDER_BAD_RESPONSE" | "POLICY_NOT_FOUND" | "POLICY_PROVIDER_MISMATCH" | "POLICY_NEEDS_INTEGRATION" | "UNKNOWN_CHECK" | "UNKNOWN_ACTION" | "GITHUB_NOT_CONFIGURED" | "GITHUB_OAUTH_NOT_CONFIGURED" | "GITHUB_WEBHOOKS_NOT_CONFIGURED" | "INVALID_WEBHOOK_SIGNATURE" | "WEBHOOK_HEADERS_MISSING" | "INSTALLATION_ID_REQUIRED" | "ACCOUNT_LOGIN_REQUIRED" | "GITHUB_ACCOUNT_MISMATCH" | "GITHUB_CODE_INVALID" | "GITHUB_APP_ALREADY_CONFIGURED" | "GITHUB_MANIFEST_CODE_INVALID" | "GITHUB_INSTALLATION_NOT_FOUND" | "GITHUB_INSTALLATION_ACCESS_DENIED" | "GITHUB_INSTALLATION_LINKED_ELSEWHERE" | "GITHUB_INSTALLATION_SUSPENDED" | "GITHUB_INSTALLATION_DELETED" | "GITHUB_USER_LINK_NOT_FOUND" | "GITHUB_LINK_EXISTING_SOURCE_TEAM_NOT_FOUND" | "GITHUB_LINK_EXISTING_ORPHAN_INSTALLATION" | "GITHUB_LINK_EXISTING_MULTIPLE_INSTALLATIONS" | "GITHUB_LINK_EXISTING_PERSONAL_GITHUB_REQUIRED" | "GITHUB_REQUEST_INVALID" | "INVALID_STATE" | "INSTALLATION_ACCESS_DENIED" | "INSTALLATION_VERIFY_FAILED" | "TOO_MANY_REPOSITORIES" | "INVALID_PERMISSION_LEVEL" | "GITHUB_INSTALLATION_TOKEN_UNKNOWN" | "GITHUB_PERMISSION_MISSING" | "GITHUB_VALIDATION_FAILED" | "GITHUB_AUTH_FAILED" | "GITHUB_UNAVAILABLE" | "GITHUB_REQUEST_FAILED" | "GITHUB_NOT_CONNECTED" | "GITHUB_NOT_VISIBLE" | "GITHUB_SCAN_UNREADABLE" | "SCAN_NOT_FOUND" | "SCAN_CONFLICT" | "SCAN_NOT_RUNNING" | "INVALID_SINCE" | "SCAN_EXEMPTION_NOT_FOUND" | "INVALID_EXPIRY" | "INVALID_CRON" | "APP_CONNECTION_NOT_FOUND" | "APP_CONNECTION_NAME_TAKEN" | "APP_CONNECTION_HOST_NOT_ALLOWED" | "APP_CONNECTION_IN_USE" | "APP_CONNECTION_VERSION_CONFLICT" | "APP_CONNECTION_CREDENTIALS_REQUIRED" | "GATEWAY_NOT_FOUND" | "APP_CONNECTION_PROJECT_NOT_FOUND" | "APP_CONNECTION_METHOD_NOT_SUPPORTED" | "ACCESS_REQUEST_NOT_FOUND" | "ACCESS_REQUEST_RESOLVED" | "MEMBERS_ONLY" | "WEBHOOK_NOT_FOUND" | "WEBHOOK_DELIVERY_NOT_FOUND" | "WEBHOOK_URL_INVALID" | "WEBHOOK_URL_NOT_ALLOWED" | "WEBHOOK_DISABLED" | "WEBHOOK_DELIVERY_IN_FLIGHT" | "DOMAIN_REQUIRED" | "INVALID_DOMAIN" | "INVALID_CONTEXT" | "INVALID_REDIRECT_URI" | "INTEGRATION_ID_REQUIRED" | "PROXY_RECORD_ID_REQUIRED" | "NOT_AN_EMAIL_INTEGRATION" | "EMAIL_INTEGRATION_INCOMPLETE" | "UNSUPPORTED_PROVIDER_ENDPOINT" | "DOMAIN_CONNECT_UNAVAILABLE" | "DOMAIN_CONNECT_NOT_SUPPORTED" | "DOMAIN_CONNECT_KEY_NOT_CONFIGURED" | "PROXY_RECORD_EXISTS" | "PROXY_RECORD_NOT_FOUND" | "PROXY_PATH_REFUSED" | "PROXY_HEADER_INVALID" | "PROXY_NOT_SUPPORTED" | "PROXY_DESTINATION_REFUSED" | "UPSTREAM_TIMEOUT";
        /** @description A value that changed between two scans. */
        FieldChangeDto: {
            /** @description Value in the latest scan (any JSON value, null when absent) */
            after: (string | null) | number | boolean | unknown[] | Record<string, never>;
            /** @description Value in the previous scan (any JSON value, null when absent) */
            before: (string | null) | number | boolean | unknown[] | Record<string, never>;
            /**
             * @description Which value changed
             * @example protection.requiredReviewCount
             */
            field: string;
            /** @description Set on changes that weaken security (made public, protection removed, new admin, ...) */
            severity?: components["schemas"]["FindingSeverity"];
        };
        /**
         * @description How serious a finding is.
         * @enum {string}
         */
        FindingSeverity: "info" | "low" | "medium" | "high" | "critical";
        /** @description Why a finding is suppressed. */
        FindingSuppressionDto: {
            /**
             * Format: date-time
             * @description When it lapses
             */
            expiresAt: string | null;
            /**
             * @description Acknowledged finding or exempt repository
             * @enum {string}
             */
            kind: "acknowledgement" | "exemption";
            /** @description Why */
            reason: string;
        };
        /** @description GitHub's simple-user object for an installation's account (as GitHub last described it). */
        GithubAccountDto: {
            /** @description GitHub's URL */
            avatar_url: string;
            /** @description GitHub's API URL */
            events_url: string;
            /** @description GitHub's API URL */
            followers_url: string;
            /** @description GitHub's API URL */
            following_url: string;
            /** @description GitHub's API URL */
            gists_url: string;
            /**
             * @description GitHub's field (empty)
             * @example
             */
            gravatar_id: string;
            /** @description Profile page */
            html_url: string;
            /**
             * @description GitHub user id
             * @example 1
             */
            id: number;
            /**
             * @description GitHub login
             * @example octocat
             */
            login: string;
            /**
             * @description GraphQL node id
             * @example MDEyOk9yZ2FuaXphdGlvbjE=
             */
            node_id: string;
            /** @description GitHub's API URL */
            organizations_url: string;
            /** @description GitHub's API URL */
            received_events_url: string;
            /** @description GitHub's API URL */
            repos_url: string;
            /** @description Whether a GitHub staff or GHES site admin */
            site_admin: boolean;
            /** @description GitHub's API URL */
            starred_url: string;
            /** @description GitHub's API URL */
            subscriptions_url: string;
            /**
             * @description User or Bot
             * @example User
             */
            type: string;
            /** @description GitHub's API URL of the user */
            url: string;
        };
        /** @description `github-app` credentials: the code GitHub returned to the setup URL (exchanged once, never kept) and the installation. */
        GithubAppCredentialsInputDto: {
            /** @description The OAuth code GitHub returned to the setup URL; exchanged once, never stored */
            code: string;
            /**
             * @description GitHub Enterprise Server host (`hostname[:port]`), required when instanceType is `server`; ignored for `cloud`
             * @example github.example.com
             */
            host?: string;
            /**
             * @description The GitHub App installation id; the user behind the code must see it
             * @example 12345678
             */
            installationId: string;
            /**
             * @description `cloud` (github.com, the default) or `server` (GitHub Enterprise Server at `host`)
             * @default cloud
             */
            instanceType: components["schemas"]["GithubInstanceType"];
        };
        /** @description The GitHub App manifest for this hub, its single-use state and a self-submitting form that posts it to GitHub. */
        GithubAppManifestDto: {
            /**
             * @description Where the form POSTs the manifest: GitHub's (or GHES') App registration page, with the single-use state
             * @example https://github.com/organizations/acme/settings/apps/new?state=...
             */
            action_url: string;
            /**
             * Format: date-time
             * @description When the state expires
             */
            expires_at: string;
            /** @description A self-submitting HTML page with the form: save it and open it in a browser signed in to GitHub */
            html: string;
            /** @description The GitHub App manifest (permissions, events, webhook, setup and callback URLs of this hub) */
            manifest: {
                [key: string]: unknown;
            };
            /** @description Single-use state (10 minutes) that GitHub sends back to the callback */
            state: string;
        };
        /** @description The GitHub App the hub stored from the manifest flow (no secrets), and where to install it. */
        GithubAppRegisteredDto: {
            /**
             * @description The App's id (GitHub's `id`)
             * @example 123456
             */
            app_id: string;
            /**
             * @description The App's OAuth client id
             * @example Iv1.0123456789abcdef
             */
            client_id: string;
            /** @description The App's page on GitHub */
            html_url: string;
            /** @description Where to install the App on an organization next */
            install_url: string;
            /** @description The account that owns the App */
            owner_login: string | null;
            /**
             * @description The App's slug
             * @example acme-integrations-hub
             */
            slug: string;
            /**
             * @description Where the hub takes its App settings from now
             * @enum {string}
             */
            source: "manifest";
        };
        /** @description One page of branches of a repository. */
        GithubBranchesDto: {
            /** @description Branch names, the default branch first */
            branches: string[];
            /** @description The default branch of the repository */
            default_branch: string | null;
            /** @description Whether more branches exist beyond the returned page */
            has_more: boolean;
        };
        /** @description GitHub: an installation of the hub's GitHub App, by id and account (or no body, to get the install URL). */
        GithubConnectBody: {
            /**
             * @description GitHub account (organization or user) the App is installed on
             * @example acme-org
             */
            accountLogin: string;
            /**
             * @description GitHub App installation id
             * @example 12345678
             */
            installationId: string;
        };
        /** @description GitHub's error body (GitHub App routes); the request id is in `X-Request-Id` and `X-GitHub-Request-Id`. */
        GithubErrorDto: {
            /**
             * @description Link to GitHub's documentation of the operation
             * @example https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app
             */
            documentation_url: string;
            /** @description Validation failures (422) */
            errors?: components["schemas"]["GithubValidationErrorItemDto"][];
            /**
             * @description What went wrong
             * @example Not Found
             */
            message: string;
        };
        /** @description `GET /installation/repositories` as GitHub answers it (passed through from GitHub). */
        GithubInstallationRepositoriesDto: {
            /** @description GitHub's repository objects */
            repositories: components["schemas"]["TokenRepositoryDto"][];
            /** @description Whether the installation reaches all of the account's repositories or selected ones */
            repository_selection?: components["schemas"]["RepositorySelection"];
            /** @description Total number of repositories */
            total_count: number;
        };
        /**
         * @description `cloud` (github.com, the default) or `server` (GitHub Enterprise Server at `host`)
         * @enum {string}
         */
        GithubInstanceType: "cloud" | "server";
        /** @description `oauth` credentials: a user OAuth code for the hub's GitHub App; the user token it yields is kept sealed. */
        GithubOAuthCredentialsInputDto: {
            /** @description A user authorization code for the hub's GitHub App (`oauthClientId` in the options); exchanged once */
            code: string;
            /**
             * @description GitHub Enterprise Server host (`hostname[:port]`), required when instanceType is `server`; ignored for `cloud`
             * @example github.example.com
             */
            host?: string;
            /**
             * @description `cloud` (github.com, the default) or `server` (GitHub Enterprise Server at `host`)
             * @default cloud
             */
            instanceType: components["schemas"]["GithubInstanceType"];
        };
        /** @description `POST .../integrations/github/prepare_callback` (GitHubPrepareCallbackRequestSerializer). */
        GithubPrepareCallbackDto: {
            /**
             * @description GitHub installation id being managed; binds the state so a callback cannot swap in another installation
             * @example 12345
             */
            installation_id?: string;
            /**
             * @description Relative URL to redirect to after GitHub setup completes
             * @example /project/settings
             */
            next?: string;
        };
        /** @description The 2016 preview routes' error body: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields. */
        GithubPreviewErrorDto: {
            /**
             * @description Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)
             * @example PROJECT_NOT_FOUND
             */
            code: components["schemas"]["ErrorCode"];
            /**
             * @description Same text as message; present on 429 responses with code `rate_limited` (a provider rate limit), whose Retry-After header says when to retry
             * @example GitHub API rate limit exceeded. Please retry later.
             */
            detail?: string;
            /** @description Field-level details (validation errors) */
            details?: {
                [key: string]: unknown;
            }[];
            /**
             * @description Link to GitHub's documentation of the operation
             * @example https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app
             */
            documentation_url: string;
            /**
             * @description What went wrong, for people
             * @example Project not found
             */
            message: string;
            /**
             * @description Same as the X-Request-Id response header
             * @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10
             */
            requestId: string;
            /**
             * @description The HTTP status
             * @example 404
             */
            statusCode: number;
        };
        /** @description A repository the project's GitHub installation reaches (PostHog's picker item). */
        GithubRepoDto: {
            /** @description Whether the repository is archived */
            archived?: boolean;
            /** @description Whether the GitHub App has write access to the contents (needed to open pull requests) */
            can_push?: boolean;
            /** @description The repository's default branch (e.g. 'main') */
            default_branch?: string;
            /**
             * @description Fully-qualified repository name as 'owner/repo'
             * @example acme/api
             */
            full_name: string;
            /**
             * @description GitHub repository numeric identifier
             * @example 1296269
             */
            id: number;
            /** @description Primary programming language GitHub detected for the repository */
            language?: string | null;
            /**
             * @description Repository short name (without the owner prefix)
             * @example api
             */
            name: string;
            /** @description Whether the repository is private */
            private?: boolean;
            /** @description ISO 8601 timestamp of the most recent push */
            pushed_at?: string | null;
        };
        /** @description One page of repositories for the picker. */
        GithubReposDto: {
            /** @description Whether more repositories are available beyond this page */
            has_more: boolean;
            /** @description One page of the repositories the installation reaches, in GitHub order */
            repositories: components["schemas"]["GithubRepoDto"][];
            /** @description Total number of repositories matching the search query, across all pages */
            total: number;
        };
        /** @description The repository cache after a refresh from GitHub. */
        GithubReposRefreshDto: {
            /**
             * @description `unavailable` when the App installation is uninstalled or suspended; `repositories` is then the last cached list
             * @enum {string}
             */
            installation_status: "connected" | "unavailable";
            /** @description The refreshed repository cache */
            repositories: components["schemas"]["GithubRepoDto"][];
        };
        /** @description Finish a GitHub setup: the installation GitHub returned to the setup URL, with this user's single-use state and OAuth code. */
        GithubSetupConfig: {
            /** @description The user OAuth code GitHub returned */
            code: string;
            /**
             * @description The GitHub App installation id GitHub returned
             * @example 12345678
             */
            installation_id: string;
            /** @description The single-use state of this user's `authorize?kind=github` for this project */
            state: string;
        };
        /** @description A team of the installation organization. */
        GithubTeamDto: {
            /** @description GitHub team numeric identifier */
            id: number;
            /**
             * @description GitHub team display name
             * @example Platform
             */
            name: string;
            /**
             * @description GitHub team slug
             * @example platform
             */
            slug: string;
        };
        /** @description One page of teams for the picker. */
        GithubTeamsDto: {
            /** @description Whether more teams are available beyond this page */
            has_more: boolean;
            /** @description GitHub teams of the installation organization (one page) */
            teams: components["schemas"]["GithubTeamDto"][];
        };
        /** @description GitHub's simple-user object. */
        GithubUserDto: {
            /** @description GitHub's URL */
            avatar_url: string;
            /** @description GitHub's API URL */
            events_url: string;
            /** @description GitHub's API URL */
            followers_url: string;
            /** @description GitHub's API URL */
            following_url: string;
            /** @description GitHub's API URL */
            gists_url: string;
            /**
             * @description GitHub's field (empty)
             * @example
             */
            gravatar_id: string;
            /** @description Profile page */
            html_url: string;
            /**
             * @description GitHub user id
             * @example 1
             */
            id: number;
            /**
             * @description GitHub login
             * @example octocat
             */
            login: string;
            /** @description GitHub's API URL */
            organizations_url: string;
            /** @description GitHub's API URL */
            received_events_url: string;
            /** @description GitHub's API URL */
            repos_url: string;
            /** @description Whether a GitHub staff or GHES site admin */
            site_admin: boolean;
            /** @description GitHub's API URL */
            starred_url: string;
            /** @description GitHub's API URL */
            subscriptions_url: string;
            /**
             * @description User or Bot
             * @example User
             */
            type: string;
            /** @description GitHub's API URL of the user */
            url: string;
        };
        /** @description One entry of GitHub's validation `errors`. */
        GithubValidationErrorItemDto: {
            /**
             * @description GitHub's error code: missing, invalid, already_exists, ...
             * @example invalid
             */
            code: string;
            /**
             * @description The field
             * @example permissions.contents
             */
            field?: string;
            /**
             * @description What is wrong with it
             * @example permissions.contents: must be read, write or admin
             */
            message?: string;
        };
        /** @description GitLab by token (without one, the OAuth flow starts). */
        GitlabConnectBody: {
            /** @description GitLab personal or group access token (`glpat-...`) */
            token: string;
        };
        /** @description GitLab by token: a personal or group access token. */
        GitlabConnectConfig: {
            /** @description GitLab personal or group access token (`glpat-...`) */
            token: string;
        };
        /** @description Outcome of a live credential check. */
        HealthDto: {
            /**
             * Format: date-time
             * @description When the check ran
             */
            checkedAt: string;
            /** @description What the provider answered (provider-specific) */
            details: {
                [key: string]: unknown;
            };
            /** @description Whether the provider accepted the credentials */
            healthy: boolean;
        };
        /** @description The caller's linked GitHub user. */
        IdentityDto: {
            /** @description Where to list the repositories the user reaches */
            repositories_url: string;
            /** @description The GitHub user */
            user: components["schemas"]["GithubUserDto"];
        };
        /** @description Identity request. */
        IdentityRequestDto: {
            /**
             * @description Echoed back, for replay protection
             * @example abc123
             */
            nonce?: string;
        };
        /** @description Infisical's error body (app connections face): `backend/src/server/plugins/error-handler.ts` upstream. */
        InfisicalErrorDto: {
            /**
             * @description Infisical's error name: BadRequest, UnauthorizedError, PermissionDenied, ForbiddenError, NotFound, RateLimitExceeded, ...
             * @example NotFound
             */
            error: string;
            /**
             * @description What went wrong
             * @example Could not find App Connection with ID 3c90c3cc-0d44-4b50-8888-8dd25736052a
             */
            message: string;
            /**
             * @description Same as the X-Request-Id response header
             * @example req-3f2a9c
             */
            reqId: string;
            /**
             * @description The HTTP status
             * @example 404
             */
            statusCode: number;
        };
        /** @description Infisical's 422: `error: "ValidationFailure"` and the zod issues as `message`. */
        InfisicalValidationErrorDto: {
            /**
             * @description Always `ValidationFailure`
             * @example ValidationFailure
             */
            error: string;
            /** @description Every schema failure, in field order (other issue fields as zod sends them) */
            message: components["schemas"]["InfisicalValidationIssueDto"][];
            /**
             * @description Same as the X-Request-Id response header
             * @example req-3f2a9c
             */
            reqId: string;
            /**
             * @description Always 422
             * @example 422
             */
            statusCode: number;
        };
        /** @description One schema failure as zod reports it (`ZodIssue`): a zod code, a message and the path of the field. */
        InfisicalValidationIssueDto: {
            /**
             * @description zod's issue code: invalid_type, too_small, too_big, invalid_string, invalid_enum_value, invalid_literal, invalid_union_discriminator, custom, ...
             * @example invalid_type
             */
            code: string;
            /**
             * @description invalid_type issues: the type the schema expects
             * @example number
             */
            expected?: string;
            /**
             * @description zod's message
             * @example Required
             */
            message: string;
            /**
             * @description Where in the input
             * @example [
             *       "credentials",
             *       "installationId"
             *     ]
             */
            path: (string | number)[];
            /**
             * @description invalid_type issues: the type the input has
             * @example undefined
             */
            received?: string;
        };
        /** @description GitHub's installation object (`installation` in GitHub's OpenAPI description); the URLs GitHub's clients follow point at the hub. */
        InstallationDto: {
            /**
             * @description Works with a hub key (integration:write)
             * @example https://hub.example.com/api/app/installations/1/access_tokens
             */
            access_tokens_url: string;
            /** @description The account it is installed on */
            account: components["schemas"]["GithubAccountDto"];
            /**
             * @description The App's id
             * @example 1
             */
            app_id: number;
            /**
             * @description The App's slug
             * @example hub-app
             */
            app_slug: string;
            /**
             * @description The App's client id
             * @example Iv1.ab1112223334445c
             */
            client_id?: string;
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * @description Webhook events the App receives
             * @example [
             *       "push"
             *     ]
             */
            events: string[];
            /**
             * @description Its settings page on GitHub
             * @example https://github.com/organizations/github/settings/installations/1
             */
            html_url: string;
            /**
             * @description GitHub installation id
             * @example 1
             */
            id: number;
            /**
             * @description Permissions as GitHub names them, e.g. `{"contents": "read"}`
             * @example {
             *       "contents": "read",
             *       "metadata": "read"
             *     }
             */
            permissions: {
                [key: string]: string;
            };
            /**
             * @description Works with an installation token this hub minted, as on GitHub
             * @example https://hub.example.com/api/installation/repositories
             */
            repositories_url: string;
            /** @description Whether the installation reaches all of the account's repositories or selected ones */
            repository_selection: components["schemas"]["RepositorySelection"];
            /** @description The single file the App may access, or null */
            single_file_name: string | null;
            /**
             * Format: date-time
             * @description When it was suspended, or null
             */
            suspended_at: string | null;
            /** @description Who suspended it, or null */
            suspended_by: components["schemas"]["GithubAccountDto"] | null;
            /**
             * @description Id of the account
             * @example 1
             */
            target_id: number;
            /**
             * @description Organization or User
             * @example Organization
             */
            target_type: string;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
        };
        /** @description One installation's permissions against what a scan needs. */
        InstallationPermissionsDto: {
            /**
             * @description GitHub account (organization or user) the installation is on
             * @example acme-org
             */
            accountLogin: string;
            /**
             * @description Permissions granted
             * @example {
             *       "contents": "read",
             *       "metadata": "read"
             *     }
             */
            granted: {
                [key: string]: string;
            };
            /**
             * @description GitHub installation id
             * @example 12345678
             */
            installationId: string;
            /**
             * @description Permissions a scan needs and lacks
             * @example [
             *       "administration"
             *     ]
             */
            missing: string[];
            /** @description Whether a scan may run */
            sufficient: boolean;
        };
        /** @description The repositories an installation reaches. */
        InstallationRepositoriesDto: {
            /** @description The repositories */
            repositories: components["schemas"]["TokenRepositoryDto"][];
            /** @description Whether the installation reaches all of the account's repositories or selected ones */
            repository_selection: components["schemas"]["RepositorySelection"];
            /** @description Total number of repositories */
            total_count: number;
        };
        /**
         * @description Object type it triggers on
         * @enum {string}
         */
        IntegrationItemType: "issue" | "pull_request" | "deployment" | "alert" | "scan_finding";
        /** @description vRaptor's integration object. */
        IntegrationObjectDto: {
            /**
             * @description JSON text, validated against the provider schema
             * @example {"default_channel":"#alerts"}
             */
            configuration: string;
            /** @description Whether it is active */
            enabled: boolean;
            /**
             * @description Snowflake (decimal string)
             * @example 7300112233445566778
             */
            id: string;
            /** @description Object type it triggers on */
            item_type: components["schemas"]["IntegrationItemType"];
            /**
             * @description The organization (vRaptor spelling)
             * @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10
             */
            organisation_id: string;
            /** @description The provider */
            provider: components["schemas"]["IntegrationProvider"];
        };
        /**
         * @description The provider
         * @enum {string}
         */
        IntegrationProvider: "github" | "gitlab" | "slack" | "discord" | "jira" | "mantisbt" | "teams" | "email";
        /**
         * @description connected, disconnected or error
         * @enum {string}
         */
        IntegrationStatus: "connected" | "disconnected" | "error";
        /** @description A scanned repository. */
        InventoryRepoDto: {
            /**
             * @description Findings on the repository (accepted ones included)
             * @example 2
             */
            findings: number;
            /**
             * @description GitHub installation id
             * @example 12345678
             */
            installationId: string;
            /**
             * @description Repository full name (`owner/name`)
             * @example acme-org/api
             */
            repo: string;
            /**
             * @description GitHub's repository id
             * @example 123456
             */
            repositoryId: string;
            /** @description What the scan recorded: visibility, protection, rulesets, admins, files, alerts, ... */
            snapshot: {
                [key: string]: unknown;
            };
            /** @description How reading it went */
            status: components["schemas"]["RepoResultStatus"];
        };
        /** @description An invite (never its token). */
        InviteDto: {
            /**
             * Format: date-time
             * @description When it was accepted, or null
             */
            accepted_at: string | null;
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Invited address */
            email: string;
            /**
             * Format: date-time
             * @description When the token lapses (7 days)
             */
            expires_at: string;
            /**
             * Format: uuid
             * @description Id of the invite
             */
            id: string;
            /** @description Role they get */
            role: components["schemas"]["OrgRole"];
        };
        /** @description A page of an organization's invites. */
        InvitePageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["InviteDto"][];
        };
        /** @description GitHubLinkExistingRequestSerializer; DRF serializers ignore fields they do not declare. */
        LinkExistingDto: {
            /**
             * Format: uuid
             * @description Discovery response id, for diagnostics only; grants nothing
             */
            discovery_id?: string | null;
            /**
             * @description GitHub installation id to link (text or number); resolved within the organization when source_team_id is omitted
             * @example 12345
             */
            installation_id?: string | null;
            /**
             * Format: uuid
             * @description The sibling project (PostHog's team) whose installation to reuse: the hub's project ids are uuids where PostHog's team ids are integers
             */
            source_team_id?: string | null;
        };
        /** @description Liveness. */
        LivenessDto: {
            /**
             * @description Always `ok` while the process serves requests
             * @example ok
             */
            status: string;
        };
        /** @description MantisBT: instance URL and API token. */
        MantisbtConnectBody: {
            /** @description MantisBT API token */
            token: string;
            /**
             * @description Base URL of the MantisBT instance
             * @example https://mantis.example.com
             */
            url: string;
        };
        /** @description MantisBT: the instance URL and an API token of a user of it. */
        MantisbtConnectConfig: {
            /** @description MantisBT API token */
            token: string;
            /**
             * @description Base URL of the MantisBT instance
             * @example https://mantis.example.com
             */
            url: string;
        };
        /** @description The calling user and key. */
        MeDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Email address */
            email: string;
            /**
             * Format: uuid
             * @description The user's id
             */
            id: string;
            /** @description Name */
            name: string;
            /** @description The user's organizations and roles */
            organizations: components["schemas"]["UserOrganizationDto"][];
            /**
             * Format: uuid
             * @description The organization the key is pinned to, or null
             */
            scoped_organization_id: string | null;
            /** @description Scopes of the key making this call */
            scopes: string[];
        };
        /** @description A member of an organization and their role. */
        MemberDto: {
            /**
             * Format: date-time
             * @description When they joined
             */
            joined_at: string;
            /** @description Their role */
            role: components["schemas"]["OrgRole"];
            /** @description The user */
            user: components["schemas"]["MemberUserDto"];
        };
        /** @description A page of an organization's members. */
        MemberPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["MemberDto"][];
        };
        /** @description The member user. */
        MemberUserDto: {
            /** @description Email address */
            email: string;
            /**
             * Format: uuid
             * @description The user's id
             */
            id: string;
            /** @description Name */
            name: string;
        };
        /** @description GitHubOAuthAuthorizeRequestSerializer's fields, read as upstream's view reads them: straight from the body, each turned into text (`str(value or "")`), so nothing here is refused before the service checks it. */
        OauthAuthorizeDto: {
            /**
             * @description Originating surface for the connect flow; only 'posthog_code' is recognized, anything else is ignored
             * @enum {string}
             */
            connect_from?: "posthog_code";
            /**
             * @description The GitHub installation the user OAuth is for (required; text or number)
             * @example 12345
             */
            installation_id?: string;
            /**
             * @description Relative URL to redirect to after the OAuth flow completes
             * @example /project/1/settings
             */
            next?: string;
        };
        /** @description A GitHub user OAuth URL. */
        OauthAuthorizeResponseDto: {
            /**
             * @description GitHub User OAuth URL the client should redirect to
             * @example https://github.com/login/oauth/authorize?client_id=Iv1.x&state=...
             */
            oauth_url: string;
        };
        /** @description Slack, Jira, Microsoft Teams (and GitLab or Discord without credentials): start the OAuth flow; the answer carries `authorizeUrl`. */
        OauthConnectBody: {
            /**
             * @description Relative path on this hub to return to after the flow
             * @example /settings/integrations
             */
            next?: string;
        };
        /** @description An organization. */
        OrganizationDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id of the organization
             */
            id: string;
            /** @description The caller's role in this organization */
            membership_role: components["schemas"]["OrgRole"];
            /** @description Name */
            name: string;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
        };
        /** @description A page of the caller's organizations. */
        OrganizationPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["OrganizationDto"][];
        };
        /**
         * @description The user's role in it
         * @enum {string}
         */
        OrgRole: "owner" | "admin" | "member";
        /** @description An outbox email as admins see it: recipients, subject, state and attempts; never its body. */
        OutboxEmailDto: {
            /**
             * @description What the mail is about, checked again before delivery
             * @example invite:3c90c3cc-0d44-4b50-8888-8dd25736052a
             */
            about: string | null;
            /** @description Delivery attempts so far */
            attempts: number;
            /**
             * Format: date-time
             * @description When it was queued
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Outbox email id
             */
            id: string;
            /** @description The last delivery error, or why it was discarded */
            last_error: string | null;
            /**
             * Format: date-time
             * @description When it was delivered
             */
            sent_at: string | null;
            /** @description unsent (waiting or retrying), sent, or discarded (by an admin, or no longer relevant at send time) */
            status: components["schemas"]["OutboxStatus"];
            /** @description Subject line */
            subject: string;
            /** @description Recipients */
            to: string[];
        };
        /** @description One page of the organization's outbox, newest first. */
        OutboxPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description This page, newest first */
            results: components["schemas"]["OutboxEmailDto"][];
        };
        /**
         * @description State of an outbox email: `unsent` (waiting or retrying), `sent`, or `discarded` (by an admin, or no longer relevant when delivery came).
         * @enum {string}
         */
        OutboxStatus: "unsent" | "sent" | "discarded";
        /** @description A personal API key, without its value. */
        PersonalApiKeyDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description The organization the key was created in: used when a request names none (no X-Organization-Id)
             */
            default_organization_id: string | null;
            /**
             * Format: date-time
             * @description When it stops working, or null
             */
            expires_at: string | null;
            /**
             * Format: uuid
             * @description Id of the key
             */
            id: string;
            /** @description Its name */
            label: string;
            /**
             * Format: date-time
             * @description When it was last used (updated at most once a minute)
             */
            last_used_at: string | null;
            /**
             * @description Prefix and last four characters
             * @example ihk_...a1b2
             */
            mask_value: string;
            /**
             * Format: uuid
             * @description The organization the key is pinned to, or null
             */
            scoped_organization_id: string | null;
            /** @description Its scopes */
            scopes: components["schemas"]["ApiScope"][];
        };
        /** @description A page of the caller's personal API keys. */
        PersonalApiKeyPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["PersonalApiKeyDto"][];
        };
        /** @description A personal API key with its value, shown once. */
        PersonalApiKeyWithValueDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description The organization the key was created in: used when a request names none (no X-Organization-Id)
             */
            default_organization_id: string | null;
            /**
             * Format: date-time
             * @description When it stops working, or null
             */
            expires_at: string | null;
            /**
             * Format: uuid
             * @description Id of the key
             */
            id: string;
            /** @description Its name */
            label: string;
            /**
             * Format: date-time
             * @description When it was last used (updated at most once a minute)
             */
            last_used_at: string | null;
            /**
             * @description Prefix and last four characters
             * @example ihk_...a1b2
             */
            mask_value: string;
            /**
             * Format: uuid
             * @description The organization the key is pinned to, or null
             */
            scoped_organization_id: string | null;
            /** @description Its scopes */
            scopes: components["schemas"]["ApiScope"][];
            /**
             * @description The key itself. Shown only in this response.
             * @example ihk_Yk3...
             */
            value: string;
        };
        /** @description A workspace policy over an integration's check or action. */
        PolicyDto: {
            /**
             * @description The action it uses, or null
             * @example notify
             */
            action: string | null;
            /**
             * @description The check it uses, or null
             * @example branch_protection
             */
            check: string | null;
            /** @description Settings of the policy (depends on the check or action) */
            config: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Why it was disabled automatically */
            disabled_reason: string | null;
            /** @description Whether it is active (disabled by a disconnect) */
            enabled: boolean;
            /**
             * Format: uuid
             * @description Id of the policy
             */
            id: string;
            /** @description The integration it depends on */
            integration_id: string | null;
            /**
             * @description Name
             * @example Protect main
             */
            name: string;
            /** @description The provider */
            provider: components["schemas"]["IntegrationProvider"];
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
        };
        /** @description A page of the organization's policies. */
        PolicyListDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["PolicyDto"][];
        };
        /** @description PostHog's error body (project integrations face). */
        PosthogErrorDto: {
            /**
             * @description The request field it is about, or null
             * @example kind
             */
            attr: string | null;
            /**
             * @description DRF code: invalid_input, required, not_authenticated, permission_denied, not_found, ...
             * @example invalid_input
             */
            code: string;
            /**
             * @description What went wrong
             * @example Kind not supported
             */
            detail: string;
            /**
             * @description DRF error type: validation_error, authentication_error, invalid_request, server_error, throttled_error
             * @example validation_error
             */
            type: string;
        };
        /** @description A project of an organization. */
        ProjectDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id of the project
             */
            id: string;
            /** @description Name */
            name: string;
            /**
             * Format: uuid
             * @description Its organization
             */
            organization_id: string;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
        };
        /** @description PostHog's integration body. */
        ProjectIntegrationDto: {
            /** @description Non-secret configuration */
            config: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description When it was created
             */
            created_at: string;
            /** @description Who created it (null when created by the hub itself or the user is gone) */
            created_by: components["schemas"]["ProjectIntegrationUserDto"] | null;
            /**
             * @description Human name (account, workspace or domain)
             * @example example.com
             */
            display_name: string;
            /**
             * @description Empty when healthy
             * @example
             */
            errors: string;
            /** @description Slack only: whether reconnecting can request the files:write scope (the hub never asks for it: false) */
            files_write_requestable: boolean;
            /**
             * @description The integration's id: a 64-bit snowflake, sent as a decimal string because it exceeds 2^53 (PostHog's is a small integer; a typed PostHog client reading it as a number must read a string)
             * @example 7300112233445566778
             */
            id: string;
            /** @description GitHub only, null otherwise: whether another integration (another project's) references the same App installation */
            installation_shared: boolean | null;
            /**
             * @description GitHub only, null otherwise: `unavailable` when the App was uninstalled or suspended and no tokens are minted for it
             * @enum {string|null}
             */
            installation_status: "connected" | "unavailable" | null;
            /** @description The provider */
            kind: components["schemas"]["IntegrationProvider"];
        };
        /** @description One page of the project's integrations, PostHog-shaped. */
        ProjectIntegrationListDto: {
            /** @description How many integrations match, across all pages */
            count: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page (DRF LimitOffsetPagination), null on the last
             */
            next: string | null;
            /**
             * Format: uri
             * @description Absolute URL of the previous page, null on the first
             */
            previous: string | null;
            /** @description The items of this page */
            results: components["schemas"]["ProjectIntegrationDto"][];
        };
        /** @description PostHog's `UserBasicSerializer` subset: who created the integration. */
        ProjectIntegrationUserDto: {
            /**
             * Format: uuid
             * @description The user's distinct id (their uuid)
             */
            distinct_id: string;
            /**
             * @description Email address
             * @example ada@example.com
             */
            email: string;
            /**
             * @description First name
             * @example Ada
             */
            first_name: string;
            /**
             * Format: uuid
             * @description The user's id (the hub's users have uuids; PostHog's integer id is not available)
             */
            id: string;
            /**
             * @description Last name
             * @example Lovelace
             */
            last_name: string;
            /**
             * Format: uuid
             * @description The user's id
             */
            uuid: string;
        };
        /** @description A page of an organization's projects. */
        ProjectPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["ProjectDto"][];
        };
        /** @description A reverse proxy record: a custom domain and the CNAME target it must point to. */
        ProxyRecordDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * @description The custom domain
             * @example e.example.com
             */
            domain: string;
            /**
             * Format: uuid
             * @description Id of the proxy record
             */
            id: string;
            /** @description Whether the domain's DNS points at the target yet */
            status: components["schemas"]["ProxyRecordStatus"];
            /**
             * @description The CNAME target the domain must point to (generated)
             * @example 3f1c9a0b7d2e4c11.proxy.hub.example.com
             */
            target_cname: string;
        };
        /** @description A page of the organization's proxy records. */
        ProxyRecordPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["ProxyRecordDto"][];
        };
        /**
         * @description Whether the domain's DNS points at the target yet
         * @enum {string}
         */
        ProxyRecordStatus: "waiting" | "valid" | "erroring";
        /** @description The TXT records publishing the hub's Domain Connect signing key. */
        PublicKeyRecordsDto: {
            /**
             * @description Where to publish the TXT records
             * @example _dcpubkeyv1.hub.example.com
             */
            host: string;
            /**
             * @description Host label of the TXT records (`DOMAIN_CONNECT_KEY_ID`)
             * @example _dcpubkeyv1
             */
            key_id: string;
            /**
             * @description TXT record values carrying the public key, in order
             * @example [
             *       "p=1,a=RS256,d=MIIBIjANBgkqh..."
             *     ]
             */
            records: string[];
        };
        /** @description One queue: its depth by state and the age of its oldest waiting job. */
        QueueHealthDto: {
            /**
             * @description Jobs a worker is running
             * @example 0
             */
            active: number;
            /**
             * @description Jobs scheduled for later (delays and retry backoff)
             * @example 0
             */
            delayed: number;
            /**
             * @description Jobs that used up their attempts (kept for inspection)
             * @example 0
             */
            failed: number;
            /**
             * @description Seconds the oldest waiting job has waited for a worker (0: none waits); it grows while every worker is down
             * @example 0
             */
            oldest_waiting_seconds: number;
            /**
             * @description Jobs waiting for a worker
             * @example 0
             */
            waiting: number;
        };
        /** @description Health of every queue, by name. */
        QueuesHealthDto: {
            /** @description Outbox email deliveries */
            email: components["schemas"]["QueueHealthDto"];
            /** @description Outgoing webhook (event) deliveries */
            events: components["schemas"]["QueueHealthDto"];
            /** @description Integration syncs and token refreshes */
            integrations: components["schemas"]["QueueHealthDto"];
            /** @description Organization scans */
            scan: components["schemas"]["QueueHealthDto"];
            /** @description Incoming GitHub webhooks (installation suspended or deleted, ...) */
            webhooks: components["schemas"]["QueueHealthDto"];
        };
        /** @description Readiness of the database and the queue. */
        ReadinessDto: {
            /**
             * @description Whether the database answers
             * @example ok
             * @enum {string}
             */
            database: "ok" | "unavailable";
            /** @description What is wrong, when something is: which stored secrets cannot be opened */
            detail?: string;
            /**
             * @description Whether the queue (Redis, or the in-process runner) answers
             * @example ok
             * @enum {string}
             */
            queue: "ok" | "unavailable";
            /** @description Depth and oldest waiting age per queue (absent when the queue does not answer); a backlog does not fail readiness, alert on it from the metrics */
            queues?: components["schemas"]["QueuesHealthDto"];
            /**
             * @description Present when stored secrets cannot be opened with the configured encryption keys (checked at start-up)
             * @example unreadable
             * @enum {string}
             */
            secrets?: "unreadable";
            /**
             * @description `ok` when the database and the queue answer
             * @example ok
             * @enum {string}
             */
            status: "ok" | "unavailable";
        };
        /** @description The credentials as responses show them: never the code, a token or the installation id. */
        RedactedGithubCredentialsDto: {
            /**
             * @description GitHub Enterprise Server host, when not github.com
             * @example github.example.com
             */
            host?: string;
            /** @description github.com or GitHub Enterprise Server */
            instanceType: components["schemas"]["GithubInstanceType"];
        };
        /** @description One repository's changes between two scans. */
        RepoDriftDto: {
            /** @description Values that changed */
            changes: components["schemas"]["FieldChangeDto"][];
            /** @description New findings */
            findingsAdded: components["schemas"]["DriftFindingDto"][];
            /** @description Findings gone */
            findingsResolved: components["schemas"]["DriftFindingDto"][];
            /**
             * @description Repositories are matched by GitHub id, so a rename is a rename, not a removal and an addition
             * @enum {string}
             */
            kind: "added" | "removed" | "renamed" | "changed";
            /**
             * @description The name in the earlier scan (renames)
             * @example acme-org/old-name
             */
            renamedFrom?: string;
            /**
             * @description Repository full name (`owner/name`)
             * @example acme-org/api
             */
            repo: string;
        };
        /** @description A repository or project at the provider. */
        RepoDto: {
            /**
             * @description Provider's id
             * @example repo_123
             */
            id: string;
            /**
             * @description Full name
             * @example acme/api
             */
            name: string;
            /** @description Whether it is private */
            private: boolean;
        };
        /** @description One page of repositories. */
        RepoListDto: {
            /** @description Page number, from 1 */
            page: number;
            /** @description Items per page */
            per_page: number;
            /** @description The repositories */
            repos: components["schemas"]["RepoDto"][];
            /** @description Total number of items across all pages */
            total: number;
        };
        /**
         * @description Whether everything about the repository could be read
         * @enum {string}
         */
        RepoResultStatus: "ok" | "partial" | "error";
        /**
         * @description Whether the installation reaches all of the account's repositories or selected ones
         * @enum {string}
         */
        RepositorySelection: "all" | "selected";
        /** @description DRF serializers ignore fields they do not declare. */
        RequestAccessDto: {
            /**
             * @description The provider to connect
             * @example github
             */
            kind: components["schemas"]["IntegrationProvider"];
            /**
             * @description Why, for the admins
             * @example We want pull request links on our issues
             */
            reason: string;
        };
        /** @description How an admin resolves an access request. */
        ResolveAccessRequestDto: {
            /** @description Note for the requester */
            note?: string;
            /** @description approved or dismissed */
            status: components["schemas"]["AccessRequestResolution"];
        };
        /** @description A subscription with its new signing secret, shown once. */
        RolledWebhookSecretDto: {
            /**
             * Format: date-time
             * @description Until when the previous secret also signs (null: not at all)
             */
            previous_secret_expires_at: string | null;
            /** @description The new signing secret, shown only here */
            secret: string;
        };
        /** @description Options of a secret roll. */
        RollWebhookSecretDto: {
            /**
             * @description How long the old secret keeps signing beside the new one
             * @default 86400
             */
            grace_period_seconds: number;
        };
        /** @description The rules every scanned repository is checked against. */
        ScanBaselineDto: {
            /** @description Whether outside collaborators are allowed */
            allowOutsideCollaborators: boolean;
            /** @description Organization: GitHub Actions must not be able to create or approve pull requests */
            forbidActionsApprovingPullRequests: boolean;
            /** @description Workflows must not check out the untrusted head in pull_request_target/workflow_run, nor interpolate github.event text into scripts */
            forbidDangerousWorkflows: boolean;
            /** @description The default branch cannot be deleted */
            forbidDeletions: boolean;
            /** @description No force pushes to the default branch */
            forbidForcePushes: boolean;
            /** @description Repository webhooks must have a secret, an https URL and TLS verification (read when the installation is granted Webhooks: read) */
            forbidInsecureWebhooks: boolean;
            /** @description Organization: members must not be able to create public repositories */
            forbidMemberPublicRepositories: boolean;
            /** @description Outside collaborators must not have write, maintain or admin permission */
            forbidOutsideCollaboratorWrite: boolean;
            /** @description Organization: members must not be able to fork private repositories */
            forbidPrivateForking: boolean;
            /** @description Active rulesets on the default branch must have no bypass actors */
            forbidRulesetBypass: boolean;
            /** @description Deploy keys must be read-only */
            forbidWriteDeployKeys: boolean;
            /** @description True while the organization uses the default baseline */
            isDefault: boolean;
            /** @description Most admins a repository may have */
            maxAdmins: number;
            /**
             * @description Organization: the highest base permission members may have on every repository
             * @enum {string}
             */
            maxBasePermission: "none" | "read" | "write" | "admin";
            /** @description Most open secret scanning alerts allowed */
            maxOpenSecretScanningAlerts: number;
            /** @description Most open Dependabot alerts allowed */
            maxOpenVulnerabilityAlerts: number;
            /** @description Organization: the most owners allowed; 0 turns the check off */
            maxOwners: number;
            /** @description Approving reviews required to merge */
            minApprovingReviews: number;
            /** @description Organization: the fewest owners allowed; 0 turns the check off */
            minOwners: number;
            /** @description Someone (a user or a team) must administer each repository */
            requireAdmin: boolean;
            /** @description The default branch must be protected */
            requireBranchProtection: boolean;
            /** @description Code owner reviews required */
            requireCodeOwnerReviews: boolean;
            /** @description A CODEOWNERS file is required */
            requireCodeowners: boolean;
            /** @description The default branch must require conversations to be resolved before merging */
            requireConversationResolution: boolean;
            /** @description Dependabot alerts must be enabled */
            requireDependabotAlerts: boolean;
            /** @description New commits dismiss approvals */
            requireDismissStaleReviews: boolean;
            /** @description Protection applies to admins too */
            requireEnforceAdmins: boolean;
            /** @description The default branch must require the most recent push to be approved by someone other than its author */
            requireLastPushApproval: boolean;
            /** @description Linear history required */
            requireLinearHistory: boolean;
            /** @description Actions from other repositories must be pinned by a full commit SHA */
            requirePinnedActions: boolean;
            /** @description Secret scanning push protection must be enabled */
            requirePushProtection: boolean;
            /** @description The default branch must restrict who may push (push restrictions, or a ruleset restricting updates) */
            requirePushRestrictions: boolean;
            /** @description Organization: workflows' GITHUB_TOKEN must be read-only by default */
            requireReadOnlyWorkflowToken: boolean;
            /** @description Release branches (release*) must be protected by a branch protection rule or an active ruleset */
            requireReleaseBranchProtection: boolean;
            /** @description Secret scanning must be enabled */
            requireSecretScanning: boolean;
            /** @description A SECURITY.md is required */
            requireSecurityPolicy: boolean;
            /** @description Signed commits required */
            requireSignedCommits: boolean;
            /** @description Status checks required to merge */
            requireStatusChecks: boolean;
            /** @description Branches must be up to date before merging */
            requireStrictStatusChecks: boolean;
            /** @description Organization: two-factor authentication must be required */
            requireTwoFactor: boolean;
            /** @description Organization: allowed actions must not be "all" */
            restrictAllowedActions: boolean;
            /** @description Archived repositories are not checked */
            skipArchived: boolean;
            /** @description Days without a push after which a repository is stale; 0 turns the check off */
            staleAfterDays: number;
            /**
             * Format: date-time
             * @description When it was last edited, or null for the default
             */
            updatedAt: string | null;
        };
        /** @description The scan cache was dropped. */
        ScanCacheInvalidatedDto: {
            /**
             * @description Installations whose cached pages were dropped
             * @example 1
             */
            installations: number;
            /**
             * @description Always true
             * @example true
             */
            invalidated: boolean;
        };
        /**
         * @description The finding acknowledged; omitted: the whole repository is exempt
         * @enum {string}
         */
        ScanCheck: "data_unavailable" | "archived" | "branch_protection" | "required_reviews" | "code_owner_reviews" | "dismiss_stale_reviews" | "status_checks" | "strict_status_checks" | "enforce_admins" | "force_pushes" | "branch_deletion" | "linear_history" | "signed_commits" | "security_policy" | "codeowners" | "admins" | "no_admins" | "outside_collaborators" | "outside_collaborator_write" | "stale_repository" | "vulnerability_alerts" | "dependabot_alerts_disabled" | "secret_scanning_alerts" | "ruleset_bypass" | "conversation_resolution" | "last_push_approval" | "push_restrictions" | "release_branch_protection" | "deploy_key_write" | "secret_scanning_disabled" | "push_protection_disabled" | "insecure_webhook" | "dangerous_workflow" | "script_injection" | "unpinned_actions" | "two_factor_required" | "base_permission" | "public_repository_creation" | "private_forking" | "too_many_owners" | "too_few_owners" | "workflow_token_write" | "actions_approve_pull_requests" | "allowed_actions";
        /** @description What a scan cost in GitHub API budget. */
        ScanCostDto: {
            /**
             * @description GraphQL points, as GitHub reports each query's cost (rateLimit.cost)
             * @example 2400
             */
            graphqlPoints: number;
            /**
             * @description GraphQL requests made
             * @example 100
             */
            graphqlRequests: number;
            /**
             * @description Budget left per resource, from GitHub's last x-ratelimit-remaining header
             * @example {
             *       "core": 4990,
             *       "graphql": 2600
             *     }
             */
            remaining: {
                [key: string]: number;
            };
            /**
             * @description REST calls that counted against the rate limit
             * @example 4
             */
            restCalls: number;
            /**
             * @description Conditional REST calls GitHub answered 304 (free of rate limit)
             * @example 200
             */
            restNotModified: number;
            /**
             * @description Of the REST calls and 304s, those made per repository (webhooks, when the installation may read them): outside the bulk first pass
             * @example 0
             */
            restPerRepository?: number;
        };
        /** @description What changed between two completed scans. */
        ScanDriftDto: {
            /**
             * @description Repositories added
             * @example 1
             */
            added: number;
            /**
             * @description Repositories changed
             * @example 2
             */
            changed: number;
            /**
             * Format: uuid
             * @description The previous completed scan; null after the first scan
             */
            fromScanId: string | null;
            /**
             * @description Repositories removed
             * @example 0
             */
            removed: number;
            /**
             * @description Repositories renamed
             * @example 1
             */
            renamed: number;
            /** @description Per repository */
            repos: components["schemas"]["RepoDriftDto"][];
            /**
             * Format: uuid
             * @description The later scan
             */
            toScanId: string;
        };
        /** @description An acknowledgement or exemption. */
        ScanExemptionDto: {
            /** @description False once expired */
            active: boolean;
            /**
             * @description The check acknowledged, or null for a repository exemption
             * @example branch_protection
             */
            check: string | null;
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description Who created it (user id)
             */
            createdBy: string | null;
            /**
             * Format: date-time
             * @description When it lapses
             */
            expiresAt: string;
            /**
             * Format: uuid
             * @description Id of the exemption
             */
            id: string;
            /**
             * @description acknowledgement: one finding (repo and check); exemption: the whole repository
             * @enum {string}
             */
            kind: "acknowledgement" | "exemption";
            /** @description Why */
            reason: string;
            /**
             * @description The repository
             * @example acme-org/legacy-api
             */
            repo: string;
        };
        /** @description The organization's acknowledgements and exemptions. */
        ScanExemptionListDto: {
            /** @description Acknowledgements and exemptions */
            exemptions: components["schemas"]["ScanExemptionDto"][];
        };
        /** @description A repository that breaks a baseline rule. */
        ScanFindingDto: {
            /**
             * @description A check of the provider, e.g. `branch_protection`
             * @example branch_protection
             */
            check: string;
            /**
             * @description What is wrong, in words
             * @example Default branch 'main' is not protected
             */
            message: string;
            /**
             * @description Repository full name (`owner/name`)
             * @example acme-org/api
             */
            repo: string;
            /** @description Whether everything about the repository could be read */
            repoStatus: components["schemas"]["RepoResultStatus"];
            /** @description How serious the finding is */
            severity: components["schemas"]["FindingSeverity"];
            /** @description Present when an active acknowledgement or exemption accepts the finding */
            suppression?: components["schemas"]["FindingSuppressionDto"];
        };
        /** @description One page of the repositories of the last completed scan. */
        ScanInventoryDto: {
            /**
             * Format: date-time
             * @description When the scan completed
             */
            completedAt: string;
            /**
             * @description Page number, from 1
             * @example 1
             */
            page: number;
            /**
             * @description Items per page
             * @example 100
             */
            per_page: number;
            /** @description The repositories of this page */
            repos: components["schemas"]["InventoryRepoDto"][];
            /**
             * Format: uuid
             * @description The scan (id)
             */
            scanId: string;
            /**
             * @description Total number of items across all pages
             * @example 64
             */
            total: number;
        };
        /** @description Whether the installations may be scanned. */
        ScanPermissionsDto: {
            /** @description Permissions granted by every installation, at the lowest level any grants */
            granted: {
                [key: string]: string;
            };
            /** @description Per installation */
            installations: components["schemas"]["InstallationPermissionsDto"][];
            /**
             * @description Permissions a scan needs and lacks
             * @example [
             *       "administration"
             *     ]
             */
            missing: string[];
            /**
             * @description Read when granted (vulnerability alerts, admin teams and owners, secret scanning alerts, organization settings and Actions defaults, repository webhooks); their absence is not a failure
             * @example {
             *       "members": "read",
             *       "organization_administration": "read",
             *       "repository_hooks": "read",
             *       "secret_scanning_alerts": "read",
             *       "vulnerability_alerts": "read"
             *     }
             */
            optional: {
                [key: string]: string;
            };
            /**
             * @description Permissions a scan needs
             * @example {
             *       "administration": "read",
             *       "contents": "read",
             *       "metadata": "read"
             *     }
             */
            required: {
                [key: string]: string;
            };
            /** @description Every connected installation grants every required permission */
            sufficient: boolean;
        };
        /** @description Progress of a scan. */
        ScanProgressDto: {
            /**
             * @description Why it failed
             * @example The repositories of acme could not be read
             */
            error?: string;
            /**
             * Format: date-time
             * @description When it finished
             */
            finishedAt?: string;
            /** @description What the scan has cost so far, in GitHub's rate-limit terms */
            githubCost?: components["schemas"]["ScanCostDto"];
            /**
             * @description Percent done
             * @example 65
             */
            progress: number;
            /**
             * @description Repositories scanned so far
             * @example 42
             */
            reposScanned: number;
            /**
             * @description Repositories to scan
             * @example 64
             */
            reposTotal: number;
            /**
             * Format: uuid
             * @description The scan reported on; null when the organization was never scanned
             */
            scanId: string | null;
            /**
             * Format: date-time
             * @description When it started
             * @example 2026-04-30T08:00:00Z
             */
            startedAt: string | null;
            /**
             * @description State of the scan
             * @example scanning
             */
            status: components["schemas"]["ScanStatus"];
        };
        /** @description One page of findings of the last completed scan. */
        ScanResultsDto: {
            /**
             * Format: date-time
             * @description When the scan completed
             */
            completedAt: string;
            /**
             * @description Page number, from 1
             * @example 1
             */
            page: number;
            /**
             * @description Items per page
             * @example 100
             */
            per_page: number;
            /** @description The findings of this page */
            results: components["schemas"]["ScanFindingDto"][];
            /**
             * Format: uuid
             * @description The scan (id)
             */
            scanId: string;
            /**
             * @description Total number of items across all pages
             * @example 12
             */
            total: number;
        };
        /**
         * @description Format of scan findings.
         * @enum {string}
         */
        ScanResultsFormat: "json" | "sarif" | "csv";
        /** @description The organization's scan schedule. */
        ScanScheduleDto: {
            /**
             * @description null: no scheduled scans
             * @example 0 3 * * 1-5
             */
            cron: string | null;
            /**
             * Format: date-time
             * @description When a scheduled scan last started
             */
            lastRunAt: string | null;
            /**
             * Format: uuid
             * @description The scan the schedule last started (or found running)
             */
            lastScanId: string | null;
            /**
             * Format: date-time
             * @description When the next scheduled scan is due
             */
            nextRunAt: string | null;
        };
        /**
         * @description State of the scan
         * @enum {string}
         */
        ScanStatus: "idle" | "queued" | "scanning" | "completed" | "failed" | "cancelled";
        /** @description The latest scan at a glance. */
        ScanStatusDto: {
            /**
             * Format: date-time
             * @description When the last scan completed
             */
            lastCompletedAt: string | null;
            /**
             * Format: uuid
             * @description The last completed scan
             */
            lastScanId: string | null;
            /** @description Status of the most recent scan (idle when none) */
            status: components["schemas"]["ScanStatus"];
        };
        /** @description PostHog-style acknowledgement. */
        SuccessDto: {
            /**
             * @description Always true
             * @example true
             */
            success: boolean;
        };
        /**
         * @description Whether suppressed findings are included.
         * @enum {string}
         */
        SuppressedFilter: "include" | "exclude" | "only";
        /** @description A sync was queued. */
        SyncAcceptedDto: {
            /** @description The integration id */
            id: string;
            /** @description The queued job id */
            job_id: string;
            /**
             * @description Always `queued`
             * @example queued
             */
            status: string;
        };
        /**
         * @description Whether the provider hosts that template
         * @enum {string}
         */
        TemplateSupport: "yes" | "no" | "unknown";
        /** @description Whether the domain's DNS provider hosts the hub's template for a context. */
        TemplateSupportDto: {
            /** @description The DNS provider, when discovered */
            provider_name: string | null;
            /**
             * @description The hub's template (service id) for the context
             * @example email-verification-us
             */
            service_id: string;
            /** @description Whether the domain's DNS provider supports Domain Connect */
            supported: boolean;
            /** @description Whether the provider hosts that template */
            template_supported: components["schemas"]["TemplateSupport"];
        };
        /** @description A repository a token reaches: these fields, and with a narrowed token every other field of GitHub's repository object. */
        TokenRepositoryDto: {
            /** @description `owner/name` */
            full_name: string;
            /** @description Repository id */
            id: number;
            /** @description Name */
            name: string;
            /** @description GraphQL node id */
            node_id: string;
            /** @description Whether it is private */
            private: boolean;
        };
        /** @description Changes to a GitHub Connection; omitted fields keep their value. */
        UpdateGithubConnectionDto: {
            /** @description New credentials, in the shape of the connection's method */
            credentials?: components["schemas"]["GithubAppCredentialsInputDto"] | components["schemas"]["GithubOAuthCredentialsInputDto"];
            /** @description An optional description (trimmed) */
            description?: string | null;
            /**
             * Format: uuid
             * @description A gateway configured on the hub (`GATEWAYS`)
             */
            gatewayId?: string | null;
            /**
             * @description Not supported for GitHub Connections: only `false` is accepted
             * @enum {boolean}
             */
            isPlatformManagedCredentials?: false;
            /** @description New name, unique in its scope */
            name?: string;
            /**
             * @description Update only if the connection is still at this version (409 otherwise); the If-Match header does the same
             * @example 3
             */
            version?: number;
        };
        /** @description Partial update of an integration object (vRaptor). */
        UpdateIntegrationObjectDto: {
            /** @description JSON text, validated against the provider schema */
            configuration?: string;
            /** @description Enable or disable (enabling needs a connected integration) */
            enabled?: boolean;
        };
        /** @description A member's new role. */
        UpdateMemberDto: {
            /** @description The new role */
            role: components["schemas"]["OrgRole"];
        };
        /** @description Changes to an organization. */
        UpdateOrganizationDto: {
            /** @description New name */
            name?: string;
        };
        /** @description Changes to a policy; omitted fields keep their value. */
        UpdatePolicyDto: {
            /**
             * @description An action of the provider, e.g. `notify`
             * @example notify
             */
            action?: string;
            /**
             * @description A check of the provider, e.g. `branch_protection`
             * @example branch_protection
             */
            check?: string;
            /** @description Settings of the policy (depends on the check or action) */
            config?: {
                [key: string]: unknown;
            };
            /** @description Enable (needs a connected integration) or disable */
            enabled?: boolean;
            /** @description New name */
            name?: string;
        };
        /** @description Changes to a project. */
        UpdateProjectDto: {
            /** @description New name */
            name?: string;
        };
        /** @description Changes to the organization's scan baseline; omitted fields keep their current value. */
        UpdateScanBaselineDto: {
            /** @description Whether outside collaborators are allowed */
            allowOutsideCollaborators?: boolean;
            /** @description Organization: GitHub Actions must not be able to create or approve pull requests */
            forbidActionsApprovingPullRequests?: boolean;
            /** @description Workflows must not check out the untrusted head in pull_request_target/workflow_run, nor interpolate github.event text into scripts */
            forbidDangerousWorkflows?: boolean;
            /** @description The default branch cannot be deleted */
            forbidDeletions?: boolean;
            /** @description No force pushes to the default branch */
            forbidForcePushes?: boolean;
            /** @description Repository webhooks must have a secret, an https URL and TLS verification (read when the installation is granted Webhooks: read) */
            forbidInsecureWebhooks?: boolean;
            /** @description Organization: members must not be able to create public repositories */
            forbidMemberPublicRepositories?: boolean;
            /** @description Outside collaborators must not have write, maintain or admin permission */
            forbidOutsideCollaboratorWrite?: boolean;
            /** @description Organization: members must not be able to fork private repositories */
            forbidPrivateForking?: boolean;
            /** @description Active rulesets on the default branch must have no bypass actors */
            forbidRulesetBypass?: boolean;
            /** @description Deploy keys must be read-only */
            forbidWriteDeployKeys?: boolean;
            /** @description Most admins a repository may have */
            maxAdmins?: number;
            /**
             * @description Organization: the highest base permission members may have on every repository
             * @enum {string}
             */
            maxBasePermission?: "none" | "read" | "write" | "admin";
            /** @description Most open secret scanning alerts allowed */
            maxOpenSecretScanningAlerts?: number;
            /** @description Most open Dependabot alerts allowed */
            maxOpenVulnerabilityAlerts?: number;
            /** @description Organization: the most owners allowed; 0 turns the check off */
            maxOwners?: number;
            /** @description Approving reviews required to merge */
            minApprovingReviews?: number;
            /** @description Organization: the fewest owners allowed; 0 turns the check off */
            minOwners?: number;
            /** @description Someone (a user or a team) must administer each repository */
            requireAdmin?: boolean;
            /** @description The default branch must be protected */
            requireBranchProtection?: boolean;
            /** @description Code owner reviews required */
            requireCodeOwnerReviews?: boolean;
            /** @description A CODEOWNERS file is required */
            requireCodeowners?: boolean;
            /** @description The default branch must require conversations to be resolved before merging */
            requireConversationResolution?: boolean;
            /** @description Dependabot alerts must be enabled */
            requireDependabotAlerts?: boolean;
            /** @description New commits dismiss approvals */
            requireDismissStaleReviews?: boolean;
            /** @description Protection applies to admins too */
            requireEnforceAdmins?: boolean;
            /** @description The default branch must require the most recent push to be approved by someone other than its author */
            requireLastPushApproval?: boolean;
            /** @description Linear history required */
            requireLinearHistory?: boolean;
            /** @description Actions from other repositories must be pinned by a full commit SHA */
            requirePinnedActions?: boolean;
            /** @description Secret scanning push protection must be enabled */
            requirePushProtection?: boolean;
            /** @description The default branch must restrict who may push (push restrictions, or a ruleset restricting updates) */
            requirePushRestrictions?: boolean;
            /** @description Organization: workflows' GITHUB_TOKEN must be read-only by default */
            requireReadOnlyWorkflowToken?: boolean;
            /** @description Release branches (release*) must be protected by a branch protection rule or an active ruleset */
            requireReleaseBranchProtection?: boolean;
            /** @description Secret scanning must be enabled */
            requireSecretScanning?: boolean;
            /** @description A SECURITY.md is required */
            requireSecurityPolicy?: boolean;
            /** @description Signed commits required */
            requireSignedCommits?: boolean;
            /** @description Status checks required to merge */
            requireStatusChecks?: boolean;
            /** @description Branches must be up to date before merging */
            requireStrictStatusChecks?: boolean;
            /** @description Organization: two-factor authentication must be required */
            requireTwoFactor?: boolean;
            /** @description Organization: allowed actions must not be "all" */
            restrictAllowedActions?: boolean;
            /** @description Archived repositories are not checked */
            skipArchived?: boolean;
            /** @description Days without a push after which a repository is stale; 0 turns the check off */
            staleAfterDays?: number;
        };
        /** @description A scan schedule. */
        UpdateScanScheduleDto: {
            /**
             * @description Five-field cron expression in UTC (minute hour day-of-month month day-of-week)
             * @example 0 3 * * 1-5
             */
            cron: string;
        };
        /** @description Changes to a webhook subscription; omitted fields keep their value. */
        UpdateWebhookDto: {
            /** @description Free text, or null to clear */
            description?: string | null;
            /** @description Enabling a subscription the hub disabled clears its failure streak */
            enabled?: boolean;
            /** @description New set of events */
            events?: components["schemas"]["WebhookEventType"][];
            /** @description New receiver URL (HTTPS, checked by the outbound guard) */
            url?: string;
        };
        /** @description A user. */
        UserDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Email address */
            email: string;
            /**
             * Format: uuid
             * @description The user's id
             */
            id: string;
            /** @description Name */
            name: string;
        };
        /** @description An organization of the user and their role in it. */
        UserOrganizationDto: {
            /**
             * Format: uuid
             * @description Id of the organization
             */
            id: string;
            /** @description Its name */
            name: string;
            /** @description The user's role in it */
            role: components["schemas"]["OrgRole"];
        };
        /** @description What the hub did with a webhook delivery. */
        WebhookAckDto: {
            /** @description Processed, queued, ignored or a duplicate */
            status: components["schemas"]["WebhookOutcome"];
        };
        /** @description One delivery of an event to a subscription, with its attempts. */
        WebhookDeliveryDto: {
            /** @description Attempts started so far */
            attempts: number;
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /**
             * @description The event id, sent as `webhook-id` on every attempt: de-duplicate on it
             * @example evt_7281928173618176
             */
            event_id: string;
            /** @description The event delivered */
            event_type: components["schemas"]["WebhookEventType"];
            /**
             * Format: date-time
             * @description When it was first attempted
             */
            first_attempt_at: string | null;
            /**
             * Format: uuid
             * @description Id of the delivery
             */
            id: string;
            /**
             * Format: date-time
             * @description When it was last attempted
             */
            last_attempt_at: string | null;
            /** @description Why the last attempt failed (status or network error) */
            last_error: string | null;
            /**
             * Format: date-time
             * @description When the next attempt is due
             */
            next_attempt_at: string | null;
            /** @description The receiver's HTTP status on the last attempt */
            response_status: number | null;
            /** @description Duration of the last attempt in milliseconds */
            response_time_ms: number | null;
            /** @description State of the delivery */
            status: components["schemas"]["WebhookDeliveryStatus"];
            /**
             * Format: date-time
             * @description When the receiver accepted it
             */
            succeeded_at: string | null;
        };
        /** @description One page of a subscription's delivery log, newest first. */
        WebhookDeliveryPageDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["WebhookDeliveryDto"][];
        };
        /**
         * @description State of the delivery
         * @enum {string}
         */
        WebhookDeliveryStatus: "pending" | "sending" | "succeeded" | "failed";
        /** @description A webhook subscription (never its secret). */
        WebhookDto: {
            /**
             * Format: date-time
             * @description When it was created (ISO 8601)
             */
            created_at: string;
            /** @description Free text */
            description: string | null;
            /** @description Why the hub disabled the subscription */
            disabled_reason: string | null;
            /** @description Whether deliveries are sent */
            enabled: boolean;
            /** @description Events it receives */
            events: components["schemas"]["WebhookEventType"][];
            /**
             * Format: uuid
             * @description Id of the subscription
             */
            id: string;
            /**
             * Format: date-time
             * @description Until when the previous secret also signs
             */
            previous_secret_expires_at: string | null;
            /**
             * Format: date-time
             * @description When it last changed (ISO 8601)
             */
            updated_at: string;
            /** @description Receiver URL */
            url: string;
        };
        /**
         * @description Events to receive
         * @enum {string}
         */
        WebhookEventType: "integration.connected" | "integration.disconnected" | "integration.updated" | "integration.health_changed" | "integration.refresh_failed" | "github.installation.suspended" | "github.installation.unsuspended" | "github.installation.deleted" | "github.installation.repositories_changed" | "app_connection.created" | "app_connection.updated" | "app_connection.deleted" | "scan.completed" | "scan.failed" | "access_request.created" | "access_request.resolved";
        /** @description A page of the organization's webhook subscriptions. */
        WebhookListDto: {
            /**
             * @description Total number of items across all pages
             * @example 250
             */
            count: number;
            /**
             * @description Page size used
             * @example 100
             */
            limit: number;
            /**
             * Format: uri
             * @description Absolute URL of the next page, or null on the last one
             * @example https://hub.example.com/api/organizations?limit=100&offset=100
             */
            next: string | null;
            /**
             * @description Index of the first item of this page
             * @example 0
             */
            offset: number;
            /** @description The items of this page */
            results: components["schemas"]["WebhookDto"][];
        };
        /**
         * @description Processed, queued, ignored or a duplicate
         * @enum {string}
         */
        WebhookOutcome: "queued" | "duplicate" | "ignored";
        /** @description A workspace-level integration, TinyOps-shaped. */
        WorkspaceIntegrationDto: {
            /**
             * Format: date-time
             * @description When it was connected
             */
            connectedAt: string;
            /**
             * @description Account, workspace or site name
             * @example acme-org
             */
            displayName: string;
            /** @description Whether it is active */
            enabled: boolean;
            /** @description Last error, e.g. why a refresh failed and to reconnect */
            errors: string | null;
            /**
             * @description Snowflake id (decimal string)
             * @example 7300112233445566778
             */
            id: string;
            /**
             * Format: date-time
             * @description When it last synced
             */
            lastSyncedAt: string | null;
            /** @description Null for workspace-level integrations */
            projectId: string | null;
            /** @description The provider */
            provider: components["schemas"]["IntegrationProvider"];
            /** @description connected, disconnected or error */
            status: components["schemas"]["IntegrationStatus"];
        };
        /** @description The workspace's integrations. */
        WorkspaceIntegrationListDto: {
            /** @description The integrations */
            integrations: components["schemas"]["WorkspaceIntegrationDto"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    githubAppsListInstallations: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Values above 100 are 100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installations, in GitHub's installation shape */
            200: {
                headers: {
                    /** @description RFC 8288 pagination links (next, prev, first, last) */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"][];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    githubAppsGetInstallation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                installation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installation, in GitHub's shape */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    githubAppsCreateInstallationAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                installation_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateInstallationAccessTokenDto"];
            };
        };
        responses: {
            /** @description The installation token, its expiry and what it reaches */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Validation Failed (unknown permission level, more than 500 repositories), or GitHub refused the narrowing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    getDomainConnectPublicKeyRecords: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key id and its TXT record values */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyRecordsDto"];
                };
            };
            /** @description No signing key configured */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createGithubAppManifest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGithubAppManifestDto"];
            };
        };
        responses: {
            /** @description The manifest, its single-use state and the form page */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubAppManifestDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The hub already has a GitHub App (environment or an earlier manifest) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    completeGithubAppManifest: {
        parameters: {
            query?: {
                /** @description The temporary code GitHub sends back (valid one hour) */
                code?: string;
                /** @description The single-use state of the manifest form */
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The App the hub now uses, and where to install it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubAppRegisteredDto"];
                };
            };
            /** @description Missing, used or expired state or code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The hub already has a GitHub App */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LivenessDto"];
                };
            };
        };
    };
    githubAppsListReposAccessibleToInstallation: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Values above 100 are 100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The repositories the token reaches, as GitHub answers */
            200: {
                headers: {
                    /** @description RFC 8288 pagination links (next, prev, first, last) */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubInstallationRepositoriesDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the installation is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Too many failed authentications, or GitHub rate limit (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    createGithubInstallationToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description application/vnd.github.machine-man-preview+json is accepted */
                Accept?: string;
            };
            path: {
                installation_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAccessTokenDto"];
            };
        };
        responses: {
            /** @description The installation token, its expiry and what it reaches */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Installation or linked GitHub user not found in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description More than 500 repositories, or GitHub refused the narrowing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /**
             * @description GitHub API rate limit exceeded (Retry-After)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
        };
    };
    listGithubInstallationRepositories: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Items per page (at most 100) */
                per_page?: number;
            };
            header?: {
                /** @description application/vnd.github.machine-man-preview+json is accepted */
                Accept?: string;
            };
            path: {
                installation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The repositories and their total count */
            200: {
                headers: {
                    /** @description RFC 8288 pagination links (next, prev, first, last) */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationRepositoriesDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Installation or linked GitHub user not found in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
        };
    };
    getGithubUserIdentity: {
        parameters: {
            query?: never;
            header?: {
                /** @description application/vnd.github.machine-man-preview+json is accepted */
                Accept?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IdentityRequestDto"];
            };
        };
        responses: {
            /** @description The linked GitHub user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Installation or linked GitHub user not found in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
        };
    };
    listGithubInstallations: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Items per page (at most 100) */
                per_page?: number;
            };
            header?: {
                /** @description application/vnd.github.machine-man-preview+json is accepted */
                Accept?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installations, in GitHub's shape */
            200: {
                headers: {
                    /** @description RFC 8288 pagination links (next, prev, first, last) */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"][];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Installation or linked GitHub user not found in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubPreviewErrorDto"];
                };
            };
        };
    };
    listWorkspaceIntegrations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's integrations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceIntegrationListDto"];
                };
            };
            /** @description X-Organization-Id missing or unknown */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Snowflake id */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration object */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationObjectDto"];
                };
            };
            /** @description Organization does not exist, invalid configuration, or integration not enabled (sync) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Integration does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Snowflake id */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateIntegrationObjectDto"];
            };
        };
        responses: {
            /** @description The integration after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationObjectDto"];
                };
            };
            /** @description Organization does not exist, invalid configuration, or integration not enabled (sync) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Integration does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The edit would send the stored credential to another destination (MantisBT url): connect again with the credential */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    syncIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Snowflake id */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sync is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncAcceptedDto"];
                };
            };
            /** @description Organization does not exist, invalid configuration, or integration not enabled (sync) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Integration does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is in error (the reason, e.g. "Please reconnect") or disconnected */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    integrationCallback: {
        parameters: {
            query?: {
                /** @description Authorization code from the provider */
                code?: string;
                /** @description Provider-reported error (the user denied access, ...) */
                error?: string;
                /** @description The provider's reason when consent was denied */
                error_description?: string;
                /** @description Discord: the server the user picked (webhook.incoming and bot scopes) */
                guild_id?: string;
                /** @description GitHub App installation id */
                installation_id?: string;
                /** @description Discord: the bot permissions granted (bot scope) */
                permissions?: string;
                /** @description GitHub: install, update or request */
                setup_action?: string;
                /** @description The single-use state minted by authorize */
                state?: string;
            };
            header?: never;
            path: {
                kind: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirect */
            302: {
                headers: {
                    /** @description Where to go next */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid kind, next, state or code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The user cannot access what the provider returned */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listProviderActions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's actions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionsDto"];
                };
            };
            /** @description X-Organization-Id missing or unknown */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listProviderChecks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's checks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChecksDto"];
                };
            };
            /** @description X-Organization-Id missing or unknown */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    connectWorkspaceIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        /** @description The fields depend on `{provider}`: github → `GithubConnectBody`; slack, jira, teams → `OauthConnectBody`; gitlab → `GitlabConnectBody` or `OauthConnectBody`; discord → `DiscordConnectBody` or `OauthConnectBody`; mantisbt → `MantisbtConnectBody`; email → `EmailConnectBody`. Fields another provider reads are accepted and ignored. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["GithubConnectBody"] | components["schemas"]["OauthConnectBody"] | components["schemas"]["GitlabConnectBody"] | components["schemas"]["DiscordConnectBody"] | components["schemas"]["MantisbtConnectBody"] | components["schemas"]["EmailConnectBody"];
            };
        };
        responses: {
            /** @description Connected (the integration), or the authorize URL to continue in a browser */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectResultDto"];
                };
            };
            /** @description Missing or rejected credentials */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    disconnectWorkspaceIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DisconnectIntegrationDto"];
            };
        };
        responses: {
            /** @description What was disconnected and which policies were disabled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DisconnectResultDto"];
                };
            };
            /** @description Invalid body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    checkProviderHealth: {
        parameters: {
            query?: {
                /** @description Which integration of the provider; default the first connected one */
                integrationId?: string;
            };
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether the provider accepted the credentials, with details */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
            /** @description Invalid integrationId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listProviderRepos: {
        parameters: {
            query?: {
                /** @description Which integration of the provider; default the first connected one */
                integrationId?: string;
                /** @description Page number, from 1 */
                page?: number;
                /** @description Capped at 100 */
                per_page?: number;
                /** @description Only names containing this */
                search?: string;
            };
            header?: never;
            path: {
                /** @description One of: github, gitlab, slack, discord, jira, mantisbt, teams, email */
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of repositories */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepoListDto"];
                };
            };
            /** @description Invalid page, per_page or search */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Unknown provider (the message lists the supported ones) or no such integration */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanBaseline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The baseline in force */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanBaselineDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateGithubScanBaseline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateScanBaselineDto"];
            };
        };
        responses: {
            /** @description The baseline after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanBaselineDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    invalidateGithubScanCache: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cache was dropped */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanCacheInvalidatedDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    cancelGithubOrgScan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled scan's progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanProgressDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No scan is queued or running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanDrift: {
        parameters: {
            query?: {
                /** @description Compare with this completed scan (its id) or with the last scan completed at or before this ISO 8601 date; default: the completed scan before the last */
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What changed between the two scans */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanDriftDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No completed scan yet, or none matching `since` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listGithubScanExemptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The acknowledgements and exemptions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanExemptionListDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createGithubScanExemption: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateScanExemptionDto"];
            };
        };
        responses: {
            /** @description The acknowledgement or exemption created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanExemptionDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteGithubScanExemption: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such acknowledgement or exemption in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listGithubScanInventory: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Items per page */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the scanned repositories */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanInventoryDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No completed scan yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    startGithubOrgScan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The scan is queued (or already running): its progress */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanProgressDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No GitHub installation is connected */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanPermissions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Per installation, the permissions granted and missing */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanPermissionsDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description An installation no longer exists on GitHub */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanProgress: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The scan's progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanProgressDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listGithubScanResults: {
        parameters: {
            query?: {
                /** @description Check id */
                check?: string;
                /** @description sarif (SARIF 2.1.0) and csv hold every matching finding, not a page; `Accept: application/sarif+json` or `text/csv` do the same */
                format?: components["schemas"]["ScanResultsFormat"];
                /** @description Page number, from 1 */
                page?: number;
                /** @description Items per page */
                per_page?: number;
                /** @description Repository, as owner/name or name */
                repo?: string;
                /** @description Only this severity */
                severity?: components["schemas"]["FindingSeverity"];
                /** @description Findings accepted by an active acknowledgement or exemption: listed (marked), left out, or alone */
                suppressed?: components["schemas"]["SuppressedFilter"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; SARIF 2.1.0 with `format=sarif` or `Accept: application/sarif+json`; CSV with `format=csv` or `Accept: text/csv` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanResultsDto"];
                    "application/sarif+json": components["schemas"]["ScanResultsDto"];
                    "text/csv": components["schemas"]["ScanResultsDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No completed scan yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanScheduleDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateGithubScanSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateScanScheduleDto"];
            };
        };
        responses: {
            /** @description The schedule after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanScheduleDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteGithubScanSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No scheduled scans any more */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getGithubScanStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest scan's status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanStatusDto"];
                };
            };
            /** @description Missing or unknown X-Organization-Id, or an invalid parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    acceptInvite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptInviteDto"];
            };
        };
        responses: {
            /** @description The user, the organization and the first API key (its value is shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedInviteDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing or wrong metrics token (an API key is never accepted) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description METRICS_TOKEN is not set on this instance */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listOrganizations: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of organizations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationPageDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOrganizationDto"];
            };
        };
        responses: {
            /** @description The organization created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeleteOrganizationDto"];
            };
        };
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateOrganizationDto"];
            };
        };
        responses: {
            /** @description The organization after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                /** @description Only this action */
                action?: string;
                /** @description Only what this user did */
                actor?: string;
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                /** @description Entries at or after this time */
                since?: string;
                /** @description Only this target (`type:id`) */
                target?: string;
                /** @description Entries before this time */
                until?: string;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of audit entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogPageDto"];
                };
            };
            /** @description Invalid query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not a member of the organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listInvites: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of invites */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitePageDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateInviteDto"];
            };
        };
        responses: {
            /** @description The invite and its one-time token (shown only here) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedInviteDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    revokeInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Invite not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberPageDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMemberDto"];
            };
        };
        responses: {
            /** @description The member after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                /** @description Only mail in this state */
                status?: components["schemas"]["OutboxStatus"];
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of outbox emails */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxPageDto"];
                };
            };
            /** @description Invalid query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not a member of the organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    discardOutboxEmail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                email_id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The email, discarded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxEmailDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such email in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The email was sent already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    retryOutboxEmail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                email_id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The email, queued again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxEmailDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such email in this organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The email was sent already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listProjects: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of projects */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectPageDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProjectDto"];
            };
        };
        responses: {
            /** @description The project created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listProxyRecords: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of proxy records */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyRecordPageDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createProxyRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProxyRecordDto"];
            };
        };
        responses: {
            /** @description The proxy record created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyRecordDto"];
                };
            };
            /** @description Invalid domain */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The domain already has a record */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getProxyRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proxy record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyRecordDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteProxyRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook subscriptions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookListDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            /** @description The subscription and its signing secret (shown only here) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookDto"];
            };
        };
        responses: {
            /** @description The subscription after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                /** @description Only deliveries in this state */
                status?: components["schemas"]["WebhookDeliveryStatus"];
            };
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPageDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The subscription is disabled, or an attempt is in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    rollWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollWebhookSecretDto"];
            };
        };
        responses: {
            /** @description The new signing secret (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolledWebhookSecretDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test delivery is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDto"];
                };
            };
            /** @description Invalid request, or a URL the hub may not call */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Organization, subscription or delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The subscription is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    githubAppsGetOrgInstallation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installation, in GitHub's shape */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    listPersonalApiKeys: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys, without their values */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalApiKeyPageDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createPersonalApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePersonalApiKeyDto"];
            };
        };
        responses: {
            /** @description The key, with its value (shown only here) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalApiKeyWithValueDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    revokePersonalApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Key not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    rollPersonalApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key, with its new value (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalApiKeyWithValueDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Key not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listPolicies: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of policies */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyListDto"];
                };
            };
            /** @description Invalid body, unknown check/action, or no connected integration to enable it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    createPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePolicyDto"];
            };
        };
        responses: {
            /** @description The policy created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDto"];
                };
            };
            /** @description Invalid body, unknown check/action, or no connected integration to enable it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description integration_id not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDto"];
                };
            };
            /** @description Invalid body, unknown check/action, or no connected integration to enable it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Policy not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deletePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid body, unknown check/action, or no connected integration to enable it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Policy not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePolicyDto"];
            };
        };
        responses: {
            /** @description The policy after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDto"];
                };
            };
            /** @description Invalid body, unknown check/action, or no connected integration to enable it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Policy not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    getProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    deleteProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    updateProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProjectDto"];
            };
        };
        responses: {
            /** @description The project after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectDto"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not found, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listProjectIntegrations: {
        parameters: {
            query?: {
                /** @description Only integrations of this kind */
                kind?: components["schemas"]["IntegrationProvider"];
                /** @description Page size (invalid values fall back to the default, larger ones to the maximum) */
                limit?: number;
                /** @description Items to skip (invalid values are 0) */
                offset?: number;
            };
            header?: never;
            path: {
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of integrations, PostHog-shaped */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectIntegrationListDto"];
                };
            };
            /** @description Invalid kind, limit or offset */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    createProjectIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        /** @description One shape per kind; `kind` says which. GitHub is finished here after its browser flow; Slack, Jira and Teams are connected through `authorize` only. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGithubProjectIntegration"] | components["schemas"]["CreateEmailProjectIntegration"] | components["schemas"]["CreateDiscordProjectIntegration"] | components["schemas"]["CreateMantisbtProjectIntegration"] | components["schemas"]["CreateGitlabProjectIntegration"];
            };
        };
        responses: {
            /** @description The integration created, PostHog-shaped */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectIntegrationDto"];
                };
            };
            /** @description Unsupported kind, invalid config, rejected credentials, or an invalid GitHub state, code or installation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description The key lacks integration:write, or a member re-submitted an existing integration
             *
             *     The key lacks the scope, or the user lacks the role or permission
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    getProjectIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration, PostHog-shaped */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectIntegrationDto"];
                };
            };
            /** @description Invalid project id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    replaceProjectIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Integration id */
                id: unknown;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Method not allowed (PostHog answers 405 method_not_allowed) */
            405: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    deleteProjectIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Enabled policies use it (named in the detail) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    updateProjectIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Integration id */
                id: unknown;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Method not allowed (PostHog answers 405 method_not_allowed) */
            405: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listProjectIntegrationGithubBranches: {
        parameters: {
            query: {
                /** @description Maximum number of branches to return */
                limit?: number;
                /** @description Number of branches to skip */
                offset?: number;
                /** @description Repository in owner/repo format */
                repo: string;
                /** @description Optional case-insensitive branch name search query */
                search?: string;
            };
            header?: never;
            path: {
                /** @description The project integration's id (a GitHub integration) */
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of branch names and the default branch */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubBranchesDto"];
                };
            };
            /** @description repo missing or not owner/repo, invalid limit or offset, or not a GitHub integration */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description GitHub is rate-limiting the installation (Retry-After says when to try again)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listProjectIntegrationGithubRepos: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return per request (max 500) */
                limit?: number;
                /** @description Number of items to skip before returning results */
                offset?: number;
                /** @description Optional case-insensitive search (repositories: full name; teams: name or slug) */
                search?: string;
            };
            header?: never;
            path: {
                /** @description The project integration's id (a GitHub integration) */
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, with `has_more` and the matching `total` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubReposDto"];
                };
            };
            /** @description Invalid limit or offset, or not a GitHub integration */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description GitHub is rate-limiting the installation (Retry-After says when to try again)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    refreshProjectIntegrationGithubRepos: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project integration's id (a GitHub integration) */
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The refreshed list and whether the installation is usable */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubReposRefreshDto"];
                };
            };
            /** @description Not a GitHub integration, or GitHub refused the refresh */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description GitHub is rate-limiting the installation (Retry-After says when to try again)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listProjectIntegrationGithubTeams: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return per request (max 500) */
                limit?: number;
                /** @description Number of items to skip before returning results */
                offset?: number;
                /** @description Optional case-insensitive search (repositories: full name; teams: name or slug) */
                search?: string;
            };
            header?: never;
            path: {
                /** @description The project integration's id (a GitHub integration) */
                id: string;
                /** @description Project id */
                project_id: unknown;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of teams */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubTeamsDto"];
                };
            };
            /** @description Invalid limit or offset, not a GitHub integration, or GitHub refused the list */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or integration not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description GitHub is rate-limiting the installation (Retry-After says when to try again)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listIntegrationAccessRequests: {
        parameters: {
            query?: {
                /** @description Only requests in this state */
                status?: components["schemas"]["AccessRequestStatus"];
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The access requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestListDto"];
                };
            };
            /** @description Unknown status filter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    resolveIntegrationAccessRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveAccessRequestDto"];
            };
        };
        responses: {
            /** @description The access request after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestDto"];
                };
            };
            /** @description Invalid status or note */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Already resolved */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    authorizeProjectIntegration: {
        parameters: {
            query: {
                /** @description Integration kind (github, slack, gitlab, jira, discord, teams) */
                kind: string;
                /** @description Relative path to return to after the flow */
                next?: string;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirect */
            302: {
                headers: {
                    /** @description Where to go next */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid kind, next, state or code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    createDomainConnectApplyUrl: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApplyUrlRequestDto"];
            };
        };
        responses: {
            /** @description The signed apply URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplyUrlDto"];
                };
            };
            /** @description Invalid context, missing id, unsupported provider, or signing not configured */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project, integration or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    checkDomainConnect: {
        parameters: {
            query?: {
                /** @description Host name (IDN allowed); required */
                domain?: string;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether Domain Connect is supported, and by which provider */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DomainConnectCheckDto"];
                };
            };
            /** @description Missing or invalid domain */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project, integration or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    checkDomainConnectTemplate: {
        parameters: {
            query?: {
                /** @description Which template: email sender verification or reverse proxy */
                context?: components["schemas"]["DomainConnectContext"];
                /** @description Host name (IDN allowed); required */
                domain?: string;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether the template is supported */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateSupportDto"];
                };
            };
            /** @description Missing or invalid domain or context */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project, integration or proxy record not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    listAvailableGithubInstallations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installations that can be linked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvailableInstallationsDto"];
                };
            };
            /** @description Invalid request, or no single installation to link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or source team not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    linkExistingGithubInstallation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkExistingDto"];
            };
        };
        responses: {
            /** @description The integration created for this project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectIntegrationDto"];
                };
            };
            /** @description Invalid request, or no single installation to link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or source team not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    githubOauthAuthorize: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OauthAuthorizeDto"];
            };
        };
        responses: {
            /** @description The OAuth URL to open */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OauthAuthorizeResponseDto"];
                };
            };
            /** @description Invalid request, or no single installation to link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or source team not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    prepareGithubCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GithubPrepareCallbackDto"];
            };
        };
        responses: {
            /** @description State issued */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request, or no single installation to link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /**
             * @description Not a project admin, or the key lacks integration:write
             *
             *     The key lacks the scope, or the user lacks the role or permission
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project or source team not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    requestIntegrationAccess: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequestAccessDto"];
            };
        };
        responses: {
            /** @description The request was recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuccessDto"];
                };
            };
            /** @description Unsupported kind, or a blank or too long reason */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Project not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PosthogErrorDto"];
                };
            };
        };
    };
    proxyGetBase: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPutBase: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPostBase: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyDeleteBase: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPatchBase: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyGet: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
                /** @description Path beneath the provider API base, e.g. `repos/acme/api/issues` */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPut: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
                /** @description Path beneath the provider API base, e.g. `repos/acme/api/issues` */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPost: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
                /** @description Path beneath the provider API base, e.g. `repos/acme/api/issues` */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyDelete: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
                /** @description Path beneath the provider API base, e.g. `repos/acme/api/issues` */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    proxyPatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description GitHub only: narrow the installation token to these permissions (`issues=write,contents=read`) */
                "X-Hub-Github-Permissions"?: string;
                /** @description GitHub only: narrow the installation token to these repositories (comma-separated names) */
                "X-Hub-Github-Repositories"?: string;
                /** @description Retries of a 429/5xx answer, 0 to 5; default 2 for GET, HEAD, PUT and DELETE, 0 for POST and PATCH */
                "X-Hub-Retries"?: string;
            };
            path: {
                /** @description The integration (snowflake id) */
                integration_id: string;
                /** @description Path beneath the provider API base, e.g. `repos/acme/api/issues` */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused path or invalid X-Hub-* header, or a provider without an API */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such integration in the caller's organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The integration is disconnected or in error (reconnect it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, or its address is refused by the outbound guard */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer within PROXY_TIMEOUT_SECONDS */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider's response, streamed back unchanged (status, body and provider headers) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database and the queue answer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessDto"];
                };
            };
            /** @description The database or the queue does not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessDto"];
                };
            };
        };
    };
    githubAppsGetRepoInstallation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                owner: string;
                repo: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installation, in GitHub's shape */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    githubAppsGetUserInstallation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The installation, in GitHub's shape */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallationDto"];
                };
            };
            /** @description Problems parsing JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Missing, malformed, unknown, revoked or expired API key
             *
             *     Bad credentials
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description The key lacks the scope, or the user lacks the role or permission
             *
             *     The key lacks the scope, or the installation is suspended
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description Not Found (also for installations of other organizations) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /**
             * @description Too many failed authentications from this address
             *
             *     Too many failed authentications, or GitHub rate limit (Retry-After)
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GithubErrorDto"];
                };
            };
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listAppConnections: {
        parameters: {
            query?: {
                /** @description Only this project's connections (an unknown project has none) */
                projectId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The app connections */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionListDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Not a member of the organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the query does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    listGithubAppConnections: {
        parameters: {
            query?: {
                /** @description Only this project's connections (an unknown project has none) */
                projectId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The GitHub Connections */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionListDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Not a member of the organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    createGithubAppConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGithubConnectionDto"];
            };
        };
        responses: {
            /** @description The connection created, credentials redacted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionResponseDto"];
                };
            };
            /** @description Duplicate name, platform-managed credentials, refused host, invalid code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /**
             * @description User does not have access to the provided installation
             *
             *     The key lacks the scope, or the user lacks the role or permission
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Unknown project or gateway */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    getGithubAppConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The connection id */
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection, credentials redacted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with ID … */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    deleteGithubAppConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The connection id */
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionResponseDto"];
                };
            };
            /** @description Integrations reference the connection (named in the message) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with ID … */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    updateGithubAppConnection: {
        parameters: {
            query?: never;
            header: {
                "if-match": string;
                /** @description The version the update applies to, e.g. "3" (same as `version` in the body) */
                "If-Match"?: string;
            };
            path: {
                /** @description The connection id */
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGithubConnectionDto"];
            };
        };
        responses: {
            /** @description The connection after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionResponseDto"];
                };
            };
            /** @description Duplicate name, refused host, invalid code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with ID …, or unknown gateway */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The connection is no longer at the expected version (a concurrent update won); read it again and retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    createGithubAppConnectionAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The connection id */
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConnectionAccessTokenDto"];
            };
        };
        responses: {
            /** @description The installation token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionAccessTokenDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /**
             * @description The hub knows the installation is suspended or uninstalled: no token is minted
             *
             *     The key lacks the scope, or the user lacks the role or permission
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with ID …, or the installation no longer exists */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /**
             * @description GitHub API rate limit exceeded (Retry-After)
             *
             *     Too many failed authentications from this address
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    listGithubAppConnectionRepositories: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The connection id */
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The repositories */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionRepositoriesDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /**
             * @description The hub knows the installation is suspended or uninstalled: no token is minted
             *
             *     The key lacks the scope, or the user lacks the role or permission
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with ID … */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    listAvailableGithubAppConnections: {
        parameters: {
            query?: {
                /** @description Only this project's connections (an unknown project has none) */
                projectId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The usable connections */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvailableAppConnectionListDto"];
                };
            };
            /** @description Could not find project with ID … */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    getGithubAppConnectionByName: {
        parameters: {
            query?: {
                /** @description Only this project's connections (an unknown project has none) */
                projectId?: string;
            };
            header?: never;
            path: {
                /** @description The connection name */
                connectionName: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection, credentials redacted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Could not find App Connection with name … */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the body, query or path does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    listAppConnectionOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The supported apps and methods */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConnectionOptionsDto"];
                };
            };
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description Not a member of the organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
            /** @description ValidationFailure: the query does not match the schema (zod issues) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InfisicalErrorDto"];
                };
            };
        };
    };
    receiveGithubWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted for processing */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAckDto"];
                };
            };
            /** @description Missing delivery headers or a body that is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing or invalid signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider could not be reached, refused the hub's credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The provider did not answer in time (`UPSTREAM_TIMEOUT`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
}
