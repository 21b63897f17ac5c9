// Generated from openapi/openapi.json by `npm run client:generate`. Do not edit.
export interface paths {
    "/api/app/installations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organization's installations (octokit apps.listInstallations) */
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
        /** One installation of the organization (octokit apps.getInstallation) */
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
        /** Mint (or reuse a cached) installation token, optionally narrowed (octokit apps.createInstallationAccessToken) */
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
        /** The TXT records that publish the Domain Connect signing key */
        get: operations["getDomainConnectPublicKeyRecords"];
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
        /** Liveness: the process serves requests */
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
        /** Repositories an installation token reaches (octokit apps.listReposAccessibleToInstallation); the installations’ repositories_url */
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
        /** Mint (or reuse a cached) installation access token, optionally narrowed */
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
        /** Repositories an installation can reach (cached, paginated) */
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
        /** The caller's linked GitHub user */
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
        /** The organization's GitHub App installations (GitHub-shaped, paginated) */
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
        /** List the integrations of the workspace */
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
        /** Get an integration object */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update configuration and/or enabled (partial) */
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
        /** Queue a sync of repositories/metadata; the integration must be enabled */
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
        /** The provider's redirect back: validates the state, connects, redirects to next */
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
        /** The actions this provider supports */
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
        /** The checks this provider supports */
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
        /** Connect a provider: validates credentials, or answers with the authorize URL */
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
        /** Disconnect one or every integration of a provider; dependent policies are disabled */
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
        /** Checks the connection with a live call to the provider */
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
        /** Repositories/projects reachable through the integration (paginated, searchable) */
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
        /** The organization's baseline policy (the default until edited) */
        get: operations["getGithubScanBaseline"];
        /** Edit the baseline; omitted fields keep their value. Applies from the next scan */
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
        /** Drop the kept GitHub responses so the next scan reads unconditionally (webhooks announcing changes do the same) */
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
        /** Cancel the queued or running scan */
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
        /** What changed since the previous completed scan (or the scan or date named by `since`) up to the last one */
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
        /** Acknowledged findings and exempt repositories (active and expired) */
        get: operations["listGithubScanExemptions"];
        put?: never;
        /** Acknowledge a finding (repo and check) or exempt a repository (repo alone), with a reason and an expiry (audited) */
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
        /** Revoke an acknowledgement or exemption (audited) */
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
        /** Every repository of the last completed scan with its snapshot, findings or not (paged) */
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
        /** Start a scan of every connected installation (returns the running scan if one is under way) */
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
        /** Whether the installations' actual permissions suffice to scan */
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
        /** Progress of the current (or last) scan */
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
        /** Findings of the last completed scan (paged, filtered by repo, check, severity), as JSON, SARIF 2.1.0 or CSV */
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
        /** The organization's scheduled scans (cron, UTC) and when the next is due */
        get: operations["getGithubScanSchedule"];
        /** Scan the organization on a cron schedule (five fields, UTC) */
        put: operations["updateGithubScanSchedule"];
        post?: never;
        /** Stop scheduled scans */
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
        /** When the last scan completed, and the status of the latest */
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
        /** Accept an invite: returns the user and their first API key */
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
        /** Prometheus metrics */
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
        /** List the caller's organizations */
        get: operations["listOrganizations"];
        put?: never;
        /** Create an organization owned by the caller */
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
        /** Get an organization */
        get: operations["getOrganization"];
        put?: never;
        post?: never;
        /**
         * Delete an organization and everything it owns
         * @description Owners only, with the name as confirmation (`{"confirm": "<name>"}`). Removes projects, integrations, policies, app connections, GitHub installations and scans, webhooks and events, invites, memberships, keys pinned to it, outbox mail and the audit log. Nothing is revoked at the providers.
         */
        delete: operations["deleteOrganization"];
        options?: never;
        head?: never;
        /** Rename an organization */
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
        /** The organization's audit log, newest first, filterable by action, target, actor and time */
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
        /** List an organization's invites (tokens are never shown again) */
        get: operations["listInvites"];
        put?: never;
        /** Invite someone by email; returns a one-time token */
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
        /** Revoke an unaccepted invite */
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
        /** List the members of an organization */
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
        /** Remove a member (the last owner cannot be removed) */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /** Change a member's role (only owners grant or remove owner) */
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
        /** List an organization's projects */
        get: operations["listProjects"];
        put?: never;
        /** Create a project */
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
        /** List the organization's reverse proxy records */
        get: operations["listProxyRecords"];
        put?: never;
        /** Create a reverse proxy record with a generated CNAME target */
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
        /** Get a reverse proxy record */
        get: operations["getProxyRecord"];
        put?: never;
        post?: never;
        /** Delete a reverse proxy record */
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
        /** The organization's webhook subscriptions (secrets are never shown again) */
        get: operations["listWebhooks"];
        put?: never;
        /** Subscribe an endpoint to events; the signing secret is in this response only */
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
        /** One webhook subscription */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a subscription and its delivery log */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /** Change the URL, events, description or enabled state */
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
        /** The delivery log, newest first: status, attempts, last response and next attempt */
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
        /** Send a delivery again now (same event id) */
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
        /** Replace the signing secret; the old one keeps signing beside it for the grace period */
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
        /** Send a webhook.test event to this subscription */
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
        /** The organization's installation on a GitHub organization (octokit apps.getOrgInstallation) */
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
        /** List the caller's active keys (never their values) */
        get: operations["listPersonalApiKeys"];
        put?: never;
        /** Create a key with at most the scopes the calling key holds */
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
        /** Revoke a key */
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
        /** Replace a key with a new value; the old value stops working */
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
        /** List the workspace policies */
        get: operations["listPolicies"];
        put?: never;
        /** Create a policy over a connected integration */
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
        /** Get a policy */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        /** Delete a policy */
        delete: operations["deletePolicy"];
        options?: never;
        head?: never;
        /** Update a policy (re-enabling needs a connected integration) */
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
        /** Get a project */
        get: operations["getProject"];
        put?: never;
        post?: never;
        /** Delete a project and everything that belongs to it */
        delete: operations["deleteProject"];
        options?: never;
        head?: never;
        /** Rename a project */
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
        /** List the project's integrations (?kind=, limit/offset, oldest first) */
        get: operations["listProjectIntegrations"];
        put?: never;
        /**
         * Create an email-domain, token or webhook integration directly, or finish a GitHub setup
         * @description Email domains, token and webhook kinds are created from their `config`. `kind: "github"` with `config: {installation_id, state, code}` finishes the GitHub setup as upstream does: `state` is the single-use state of this user's `authorize?kind=github` for this project, `code` the user OAuth code GitHub returned, and the user's GitHub account must see the installation. Any project member may add an integration; re-submitting one the project already has takes a project admin (403 "Editing an existing integration requires project admin access.").
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
        /** Retrieve one integration of the project */
        get: operations["getProjectIntegration"];
        /** Not offered, as upstream: integrations are changed by connecting again */
        put: operations["replaceProjectIntegration"];
        post?: never;
        /** Delete an integration; refused while enabled policies use it */
        delete: operations["deleteProjectIntegration"];
        options?: never;
        head?: never;
        /** Not offered, as upstream: integrations are changed by connecting again */
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
        /** List the project's integration access requests, newest first */
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
        /** Approve or dismiss an access request */
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
        /** Build the signed Domain Connect apply URL for an email domain or a proxy record */
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
        /** Whether the domain's DNS provider supports Domain Connect */
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
        /** Whether the domain's DNS provider hosts the context's template */
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
        /** Installations of sibling projects the caller could link */
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
        /** Ask the project's admins to connect an integration (members only) */
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
        /** Readiness: the database and the queue answer */
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
        /** The organization's installation that reaches a repository (octokit apps.getRepoInstallation) */
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
        /** The organization's installation on a GitHub user account (octokit apps.getUserInstallation) */
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
        /** The calling user, their organizations and the scopes of the key */
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
        /** Every app's connections in the organization (optionally one project's) */
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
        /** The organization's GitHub Connections (optionally one project's) */
        get: operations["listGithubAppConnections"];
        put?: never;
        /** Create a GitHub Connection from a GitHub App installation and OAuth code */
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
        /** A GitHub Connection by id */
        get: operations["getGithubAppConnection"];
        put?: never;
        post?: never;
        /** Delete a GitHub Connection no integration references */
        delete: operations["deleteGithubAppConnection"];
        options?: never;
        head?: never;
        /** Rename, describe, move to a gateway or replace the credentials of a GitHub Connection */
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
        /** Mint (or reuse a cached) installation token for the connection's installation, optionally narrowed */
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
        /** Repositories the connection's installation reaches */
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
        /** The GitHub Connections a member may use: the organization's, and a project's when projectId names one */
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
        /** A GitHub Connection by name (organization-level, or in projectId) */
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
        /** The apps and methods this hub supports, with their setup URLs */
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
        /** GitHub App webhook deliveries: verified, deduplicated, processed on the queue */
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
        AcceptedInviteDto: {
            organization: components["schemas"]["OrganizationDto"];
            personal_api_key: components["schemas"]["AcceptedKeyDto"];
            user: components["schemas"]["UserDto"];
        };
        AcceptedKeyDto: {
            /** Format: uuid */
            id: string;
            label: string;
            scopes: string[];
            /** @description The key itself; shown only in this response */
            value: string;
        };
        AcceptInviteDto: {
            /** @example Ada Lovelace */
            name: string;
            token: string;
        };
        AccessRequestDto: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["IntegrationProvider"];
            note: string | null;
            reason: string;
            requested_by: components["schemas"]["AccessRequestUserDto"];
            /** Format: date-time */
            resolved_at: string | null;
            /** Format: uuid */
            resolved_by: string | null;
            status: components["schemas"]["AccessRequestStatus"];
        };
        AccessRequestListDto: {
            results: components["schemas"]["AccessRequestDto"][];
        };
        /** @enum {string} */
        AccessRequestResolution: "approved" | "dismissed";
        /** @enum {string} */
        AccessRequestStatus: "pending" | "approved" | "dismissed";
        AccessRequestUserDto: {
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        AccessTokenDto: {
            /** Format: date-time */
            expires_at: string;
            on_behalf_of: components["schemas"]["GithubUserDto"] | null;
            /**
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions: {
                [key: string]: string;
            };
            /** @description When narrowed: GitHub's repository objects */
            repositories?: components["schemas"]["TokenRepositoryDto"][];
            repository_selection: components["schemas"]["RepositorySelection"];
            /** @example ghs_16C7e42F292c6912E7710c838347Ae178B4a */
            token: string;
        };
        ActionsDto: {
            actions: components["schemas"]["CapabilityDto"][];
            provider: components["schemas"]["IntegrationProvider"];
        };
        /** @enum {string} */
        ApiScope: "*" | "integration:read" | "integration:write" | "organization:read" | "organization:write" | "project:read" | "project:write" | "personal_api_key:read" | "personal_api_key:write";
        /** @enum {string} */
        AppConnectionApp: "github";
        AppConnectionDto: {
            app: components["schemas"]["AppConnectionApp"];
            /** Format: date-time */
            createdAt: string;
            credentials: components["schemas"]["RedactedGithubCredentialsDto"];
            /** @description HMAC-SHA256 of the canonical credentials; changes exactly when they change */
            credentialsHash: string;
            description: string | null;
            /** Format: uuid */
            gatewayId: string | null;
            /** Format: uuid */
            id: string;
            isPlatformManagedCredentials: boolean;
            method: components["schemas"]["AppConnectionMethod"];
            name: string;
            /** Format: uuid */
            orgId: string;
            project: components["schemas"]["AppConnectionProjectDto"] | null;
            /** Format: uuid */
            projectId: string | null;
            /** Format: date-time */
            updatedAt: string;
            /** @example 1 */
            version: number;
        };
        AppConnectionListDto: {
            appConnections: components["schemas"]["AppConnectionDto"][];
        };
        /**
         * @description `github-app` (an installation) or `oauth` (a user token); selects the credentials shape
         * @enum {string}
         */
        AppConnectionMethod: "github-app" | "oauth";
        AppConnectionOptionDto: {
            app: components["schemas"]["AppConnectionApp"];
            /** @example my-github-app */
            appClientSlug: string | null;
            methods: components["schemas"]["AppConnectionMethod"][];
            /** @example GitHub */
            name: string;
            /**
             * @description The OAuth client id whose user codes the `oauth` method exchanges (the GitHub App's)
             * @example Iv1.8a61f9b3a7aba766
             */
            oauthClientId: string | null;
            /** @description Where a user installs the app; GitHub then returns the code and installation id */
            setupUrl: string | null;
        };
        AppConnectionOptionsDto: {
            appConnectionOptions: components["schemas"]["AppConnectionOptionDto"][];
        };
        AppConnectionProjectDto: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @example default-project */
            slug: string;
            /** @example integrations */
            type: string;
        };
        AppConnectionResponseDto: {
            appConnection: components["schemas"]["AppConnectionDto"];
        };
        ApplyUrlDto: {
            /** @example https://dash.cloudflare.com/domainconnect/v2/domainTemplates/providers/hub.example/services/reverse-proxy-us/apply?domain=example.com&host=e&target=x.proxy.hub.example&sig=...&key=_dcpubkeyv1 */
            url: string;
        };
        ApplyUrlRequestDto: {
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
        AuditEntryDto: {
            /** @example app_connection.create */
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
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
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
            /** @example app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a */
            target: string;
        };
        AuditLogPageDto: {
            count: number;
            limit: number;
            /** @description Path and query of the next page, null on the last page */
            next: string | null;
            offset: number;
            results: components["schemas"]["AuditEntryDto"][];
        };
        AvailableAppConnectionDto: {
            app: components["schemas"]["AppConnectionApp"];
            /** Format: uuid */
            id: string;
            /** @example my-github-connection */
            name: string;
            /** Format: uuid */
            orgId: string;
            /**
             * Format: uuid
             * @description The project it belongs to; null for the organization's own
             */
            projectId: string | null;
        };
        AvailableAppConnectionListDto: {
            appConnections: components["schemas"]["AvailableAppConnectionDto"][];
        };
        AvailableInstallationDto: {
            /** @example acme */
            account_login: string;
            /** @example Organization */
            account_type: string;
            /** @example 12345 */
            installation_id: string;
            /** @description Sibling projects already using it */
            project_ids: string[];
        };
        AvailableInstallationsDto: {
            results: components["schemas"]["AvailableInstallationDto"][];
        };
        CapabilityDto: {
            description: string;
            /** @example branch_protection */
            id: string;
            /** @example Branch protection */
            name: string;
        };
        ChecksDto: {
            checks: components["schemas"]["CapabilityDto"][];
            provider: components["schemas"]["IntegrationProvider"];
        };
        ConnectIntegrationDto: {
            /**
             * @description GitHub account login
             * @example acme-org
             */
            accountLogin?: string;
            /** @description Email: three DKIM tokens */
            dkim_tokens?: string[];
            /** @description Email: sender domain */
            domain?: string;
            /**
             * @description GitHub App installation id
             * @example 12345678
             */
            installationId?: string;
            /** @description Email: MAIL FROM subdomain */
            mail_from_subdomain?: string;
            /** @description OAuth providers: relative path to return to after the flow */
            next?: string;
            /**
             * @description Email: sending region
             * @example us-east-1
             */
            region?: string;
            /** @description API token (GitLab personal/group token, MantisBT API token) */
            token?: string;
            /**
             * @description Provider base URL (MantisBT)
             * @example https://mantis.example.com
             */
            url?: string;
            /** @description Email: verification token */
            verify_token?: string;
            /** @description Incoming webhook URL (Discord) */
            webhook_url?: string;
        };
        ConnectionAccessTokenDto: {
            /** Format: date-time */
            expires_at: string;
            /**
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions: {
                [key: string]: string;
            };
            repositories?: components["schemas"]["TokenRepositoryDto"][];
            repository_selection: components["schemas"]["RepositorySelection"];
            /** @example ghs_16C7e42F292c6912E7710c838347Ae178B4a */
            token: string;
        };
        ConnectionRepositoriesDto: {
            repositories: components["schemas"]["TokenRepositoryDto"][];
        };
        ConnectResultDto: {
            /** @description OAuth providers: where to send the user */
            authorizeUrl?: string;
            /** @description False when the provider needs the browser flow: follow authorizeUrl */
            connected: boolean;
            integration?: components["schemas"]["WorkspaceIntegrationDto"];
        };
        CreateAccessTokenDto: {
            /**
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            repository_ids?: number[];
            /**
             * @description On whose behalf the token is requested, answered in on_behalf_of: a GitHub user id (string or number, as in GitHub's example) linked in this organization, or a hub user id (uuid) with a linked GitHub account; 404 otherwise
             * @example 42
             */
            user_id?: string | number;
        };
        CreateConnectionAccessTokenDto: {
            /**
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            repository_ids?: number[];
        };
        CreatedInviteDto: {
            email: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: uuid */
            id: string;
            role: components["schemas"]["OrgRole"];
            /** @description One-time token; shown only here (and emailed when SMTP is configured) */
            token: string;
        };
        CreatedWebhookDto: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            /** @description Why the hub disabled the subscription */
            disabled_reason: string | null;
            enabled: boolean;
            events: components["schemas"]["WebhookEventType"][];
            /** Format: uuid */
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
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
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
        CreateInstallationAccessTokenDto: {
            /**
             * @example {
             *       "contents": "read"
             *     }
             */
            permissions?: {
                [key: string]: "read" | "write" | "admin";
            };
            /** @description Repository names (at most 500 with repository_ids) */
            repositories?: string[];
            repository_ids?: number[];
            /**
             * @description On whose behalf the token is requested, answered in on_behalf_of: a GitHub user id (string or number, as in GitHub's example) linked in this organization, or a hub user id (uuid) with a linked GitHub account; 404 otherwise
             * @example 42
             */
            user_id?: string | number;
        };
        CreateInviteDto: {
            /** @example dev@example.com */
            email: string;
            role: components["schemas"]["OrgRole"];
        };
        CreateOrganizationDto: {
            /** @example Acme */
            name: string;
        };
        CreatePersonalApiKeyDto: {
            /**
             * Format: uuid
             * @description The organization the key acts on when a request sends no X-Organization-Id (the header still chooses another). Defaults to the pin, else the creating key's own, else the user's only organization; null: none, every request of a user with several organizations must send the header
             */
            default_organization_id?: string | null;
            /** Format: date-time */
            expires_at?: string;
            /** @example ci-token-broker */
            label: string;
            /**
             * Format: uuid
             * @description Pin the key to one organization
             */
            scoped_organization_id?: string;
            /**
             * @example [
             *       "integration:read"
             *     ]
             */
            scopes: components["schemas"]["ApiScope"][];
        };
        CreatePolicyDto: {
            /** @example notify */
            action?: string;
            /** @example branch_protection */
            check?: string;
            config?: {
                [key: string]: unknown;
            };
            /** @default true */
            enabled: boolean;
            /** @description Default: the first connected integration of the provider */
            integration_id?: string;
            /** @example Protect main */
            name: string;
            provider: components["schemas"]["IntegrationProvider"];
        };
        CreateProjectDto: {
            /** @example Web app */
            name: string;
        };
        CreateProjectIntegrationDto: {
            /** @description email: {domain, verify_token, dkim_tokens[3], mail_from_subdomain?, region}; discord: {webhook_url}; mantisbt: {url, token}; gitlab: {token} */
            config: {
                [key: string]: unknown;
            };
            /** @example email */
            kind: components["schemas"]["IntegrationProvider"];
        };
        CreateProxyRecordDto: {
            /**
             * @description The host name to proxy (IDN allowed)
             * @example e.example.com
             */
            domain: string;
        };
        CreateScanExemptionDto: {
            /** @description The finding acknowledged; omitted: the whole repository is exempt */
            check?: components["schemas"]["ScanCheck"];
            /**
             * Format: date-time
             * @description When the findings count again (in the future, at most a year ahead)
             */
            expiresAt: string;
            /** @example Decommissioned in Q3; tracked in SEC-412 */
            reason: string;
            /**
             * @description The repository, as owner/name
             * @example acme-org/legacy-api
             */
            repo: string;
        };
        CreateWebhookDto: {
            /** @example Billing service */
            description?: string;
            /** @default true */
            enabled: boolean;
            /**
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
        DeleteOrganizationDto: {
            /** @description The organization's name, exactly: deleting removes everything it owns */
            confirm: string;
        };
        DisconnectIntegrationDto: {
            /** @description Only this integration; otherwise every integration of the provider in the workspace */
            integrationId?: string;
        };
        DisconnectResultDto: {
            /** @description Ids of the policies disabled because they depend on them */
            disabledPolicies: string[];
            /** @description Ids of the integrations disconnected */
            disconnected: string[];
        };
        DnsProviderDto: {
            /** @example domainconnect.vercel.com */
            endpoint: string;
            /** @example Vercel */
            name: string;
        };
        DomainConnectCheckDto: {
            /** @description The allow-list, when detection failed, so a UI can offer a manual choice */
            available_providers: components["schemas"]["DnsProviderDto"][];
            /** @example Cloudflare */
            provider_name: string | null;
            supported: boolean;
        };
        /** @enum {string} */
        DomainConnectContext: "email" | "proxy";
        DriftFindingDto: {
            /** @example branch_protection */
            check: string;
            message: string;
            severity: components["schemas"]["FindingSeverity"];
        };
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
            /** @example Project not found */
            message: string;
            /**
             * @description Same as the X-Request-Id response header
             * @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10
             */
            requestId: string;
            /** @example 404 */
            statusCode: number;
        };
        /**
         * @description Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)
         * @enum {string}
         */
        ErrorCode: "BAD_REQUEST" | "FORBIDDEN" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "UNPROCESSABLE_ENTITY" | "INTERNAL_ERROR" | "VALIDATION_FAILED" | "MALFORMED_JSON" | "UPSTREAM_UNREACHABLE" | "rate_limited" | "BODY_TOO_COMPLEX" | "URI_TOO_LONG" | "INVALID_URL" | "OUTBOUND_BLOCKED" | "SERVICE_UNAVAILABLE" | "UNAUTHENTICATED" | "CREDENTIALS_MISSING" | "RATE_LIMITED" | "ROUTE_NOT_DECLARED" | "MISSING_SCOPE" | "MISSING_PERMISSION" | "MISSING_ROLE" | "ORGANIZATION_REQUIRED" | "ORGANIZATION_NOT_FOUND" | "PROJECT_NOT_FOUND" | "MEMBER_NOT_FOUND" | "LAST_OWNER" | "OWNER_REQUIRED" | "KEY_PINNED" | "SCOPE_NOT_HELD" | "SCOPE_ABOVE_ROLE" | "PERSONAL_API_KEY_NOT_FOUND" | "PERSONAL_API_KEY_CONFLICT" | "OUTBOX_EMAIL_NOT_FOUND" | "OUTBOX_EMAIL_SENT" | "CONFIRMATION_REQUIRED" | "INVITE_NOT_FOUND" | "INVITE_INVALID" | "INTEGRATION_NOT_FOUND" | "INTEGRATION_NOT_CONNECTED" | "INTEGRATION_DISABLED" | "INTEGRATION_IN_USE" | "INTEGRATION_OVERWRITE_FORBIDDEN" | "INTEGRATION_ERROR" | "INVALID_CONFIGURATION" | "CREDENTIAL_DESTINATION_LOCKED" | "PROVIDER_NOT_FOUND" | "KIND_NOT_SUPPORTED" | "KIND_NOT_CONFIGURED" | "KIND_REQUIRES_AUTHORIZE" | "OAUTH_FLOW_REQUIRED" | "INVALID_NEXT" | "STATE_MISSING" | "STATE_MISMATCH" | "STATE_INVALID" | "PROVIDER_DENIED" | "CODE_MISSING" | "CODE_REJECTED" | "TOKEN_REFRESH_FAILED" | "TOKEN_REFRESH_UNAVAILABLE" | "INVALID_CREDENTIALS" | "INVALID_CREDENTIALS_INPUT" | "INVALID_EMAIL_CONFIG" | "NO_DISCORD_WEBHOOK" | "NO_JIRA_SITE" | "PROVIDER_ERROR" | "PROVIDER_BAD_RESPONSE" | "POLICY_NOT_FOUND" | "POLICY_PROVIDER_MISMATCH" | "POLICY_NEEDS_INTEGRATION" | "UNKNOWN_CHECK" | "UNKNOWN_ACTION" | "GITHUB_NOT_CONFIGURED" | "GITHUB_OAUTH_NOT_CONFIGURED" | "GITHUB_WEBHOOKS_NOT_CONFIGURED" | "INVALID_WEBHOOK_SIGNATURE" | "WEBHOOK_HEADERS_MISSING" | "INSTALLATION_ID_REQUIRED" | "ACCOUNT_LOGIN_REQUIRED" | "GITHUB_ACCOUNT_MISMATCH" | "GITHUB_CODE_INVALID" | "GITHUB_INSTALLATION_NOT_FOUND" | "GITHUB_INSTALLATION_ACCESS_DENIED" | "GITHUB_INSTALLATION_LINKED_ELSEWHERE" | "GITHUB_INSTALLATION_SUSPENDED" | "GITHUB_INSTALLATION_DELETED" | "GITHUB_USER_LINK_NOT_FOUND" | "GITHUB_LINK_EXISTING_SOURCE_TEAM_NOT_FOUND" | "GITHUB_LINK_EXISTING_ORPHAN_INSTALLATION" | "GITHUB_LINK_EXISTING_MULTIPLE_INSTALLATIONS" | "GITHUB_LINK_EXISTING_PERSONAL_GITHUB_REQUIRED" | "GITHUB_REQUEST_INVALID" | "INVALID_STATE" | "INSTALLATION_ACCESS_DENIED" | "INSTALLATION_VERIFY_FAILED" | "TOO_MANY_REPOSITORIES" | "INVALID_PERMISSION_LEVEL" | "GITHUB_INSTALLATION_TOKEN_UNKNOWN" | "GITHUB_PERMISSION_MISSING" | "GITHUB_VALIDATION_FAILED" | "GITHUB_AUTH_FAILED" | "GITHUB_UNAVAILABLE" | "GITHUB_REQUEST_FAILED" | "GITHUB_NOT_CONNECTED" | "GITHUB_NOT_VISIBLE" | "GITHUB_SCAN_UNREADABLE" | "SCAN_NOT_FOUND" | "SCAN_CONFLICT" | "SCAN_NOT_RUNNING" | "INVALID_SINCE" | "SCAN_EXEMPTION_NOT_FOUND" | "INVALID_EXPIRY" | "INVALID_CRON" | "APP_CONNECTION_NOT_FOUND" | "APP_CONNECTION_NAME_TAKEN" | "APP_CONNECTION_HOST_NOT_ALLOWED" | "APP_CONNECTION_IN_USE" | "APP_CONNECTION_VERSION_CONFLICT" | "APP_CONNECTION_CREDENTIALS_REQUIRED" | "GATEWAY_NOT_FOUND" | "APP_CONNECTION_PROJECT_NOT_FOUND" | "APP_CONNECTION_METHOD_NOT_SUPPORTED" | "ACCESS_REQUEST_NOT_FOUND" | "ACCESS_REQUEST_RESOLVED" | "MEMBERS_ONLY" | "WEBHOOK_NOT_FOUND" | "WEBHOOK_DELIVERY_NOT_FOUND" | "WEBHOOK_URL_INVALID" | "WEBHOOK_URL_NOT_ALLOWED" | "WEBHOOK_DISABLED" | "WEBHOOK_DELIVERY_IN_FLIGHT" | "DOMAIN_REQUIRED" | "INVALID_DOMAIN" | "INVALID_CONTEXT" | "INVALID_REDIRECT_URI" | "INTEGRATION_ID_REQUIRED" | "PROXY_RECORD_ID_REQUIRED" | "NOT_AN_EMAIL_INTEGRATION" | "EMAIL_INTEGRATION_INCOMPLETE" | "UNSUPPORTED_PROVIDER_ENDPOINT" | "DOMAIN_CONNECT_UNAVAILABLE" | "DOMAIN_CONNECT_NOT_SUPPORTED" | "DOMAIN_CONNECT_KEY_NOT_CONFIGURED" | "PROXY_RECORD_EXISTS" | "PROXY_RECORD_NOT_FOUND" | "PROXY_PATH_REFUSED" | "PROXY_HEADER_INVALID" | "PROXY_NOT_SUPPORTED" | "PROXY_DESTINATION_REFUSED" | "UPSTREAM_TIMEOUT";
        FieldChangeDto: {
            /** @description Value in the latest scan (any JSON value, null when absent) */
            after: (string | null) | number | boolean | unknown[] | Record<string, never>;
            /** @description Value in the previous scan (any JSON value, null when absent) */
            before: (string | null) | number | boolean | unknown[] | Record<string, never>;
            /** @example protection.requiredReviewCount */
            field: string;
            /** @description Set on changes that weaken security (made public, protection removed, new admin, ...) */
            severity?: components["schemas"]["FindingSeverity"];
        };
        /** @enum {string} */
        FindingSeverity: "info" | "low" | "medium" | "high" | "critical";
        FindingSuppressionDto: {
            /** Format: date-time */
            expiresAt: string | null;
            /** @enum {string} */
            kind: "acknowledgement" | "exemption";
            reason: string;
        };
        GithubAccountDto: {
            avatar_url: string;
            events_url: string;
            followers_url: string;
            following_url: string;
            gists_url: string;
            /** @example  */
            gravatar_id: string;
            html_url: string;
            /** @example 1 */
            id: number;
            /** @example octocat */
            login: string;
            /** @example MDEyOk9yZ2FuaXphdGlvbjE= */
            node_id: string;
            organizations_url: string;
            received_events_url: string;
            repos_url: string;
            site_admin: boolean;
            starred_url: string;
            subscriptions_url: string;
            /** @example User */
            type: string;
            url: string;
        };
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
            /** @default cloud */
            instanceType: components["schemas"]["GithubInstanceType"];
        };
        GithubBranchesDto: {
            /** @description Branch names, the default branch first */
            branches: string[];
            /** @description The default branch of the repository */
            default_branch: string | null;
            /** @description Whether more branches exist beyond the returned page */
            has_more: boolean;
        };
        GithubErrorDto: {
            /** @example https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app */
            documentation_url: string;
            /** @description Validation failures (422) */
            errors?: components["schemas"]["GithubValidationErrorItemDto"][];
            /** @example Not Found */
            message: string;
        };
        GithubInstallationRepositoriesDto: {
            /** @description GitHub's repository objects */
            repositories: components["schemas"]["TokenRepositoryDto"][];
            repository_selection?: components["schemas"]["RepositorySelection"];
            total_count: number;
        };
        /** @enum {string} */
        GithubInstanceType: "cloud" | "server";
        GithubOAuthCredentialsInputDto: {
            /** @description A user authorization code for the hub's GitHub App (`oauthClientId` in the options); exchanged once */
            code: string;
            /**
             * @description GitHub Enterprise Server host (`hostname[:port]`), required when instanceType is `server`; ignored for `cloud`
             * @example github.example.com
             */
            host?: string;
            /** @default cloud */
            instanceType: components["schemas"]["GithubInstanceType"];
        };
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
            /** @example https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app */
            documentation_url: string;
            /** @example Project not found */
            message: string;
            /**
             * @description Same as the X-Request-Id response header
             * @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10
             */
            requestId: string;
            /** @example 404 */
            statusCode: number;
        };
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
        GithubReposDto: {
            /** @description Whether more repositories are available beyond this page */
            has_more: boolean;
            /** @description One page of the repositories the installation reaches, in GitHub order */
            repositories: components["schemas"]["GithubRepoDto"][];
            /** @description Total number of repositories matching the search query, across all pages */
            total: number;
        };
        GithubReposRefreshDto: {
            /**
             * @description `unavailable` when the App installation is uninstalled or suspended; `repositories` is then the last cached list
             * @enum {string}
             */
            installation_status: "connected" | "unavailable";
            /** @description The refreshed repository cache */
            repositories: components["schemas"]["GithubRepoDto"][];
        };
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
        GithubTeamsDto: {
            /** @description Whether more teams are available beyond this page */
            has_more: boolean;
            /** @description GitHub teams of the installation organization (one page) */
            teams: components["schemas"]["GithubTeamDto"][];
        };
        GithubUserDto: {
            avatar_url: string;
            events_url: string;
            followers_url: string;
            following_url: string;
            gists_url: string;
            /** @example  */
            gravatar_id: string;
            html_url: string;
            /** @example 1 */
            id: number;
            /** @example octocat */
            login: string;
            organizations_url: string;
            received_events_url: string;
            repos_url: string;
            site_admin: boolean;
            starred_url: string;
            subscriptions_url: string;
            /** @example User */
            type: string;
            url: string;
        };
        GithubValidationErrorItemDto: {
            /** @example invalid */
            code: string;
            /** @example permissions.contents */
            field?: string;
            /** @example permissions.contents: must be read, write or admin */
            message?: string;
        };
        HealthDto: {
            /** Format: date-time */
            checkedAt: string;
            details: {
                [key: string]: unknown;
            };
            healthy: boolean;
        };
        IdentityDto: {
            repositories_url: string;
            user: components["schemas"]["GithubUserDto"];
        };
        IdentityRequestDto: {
            /** @example abc123 */
            nonce?: string;
        };
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
        InfisicalValidationErrorDto: {
            /** @example ValidationFailure */
            error: string;
            /** @description Every schema failure, in field order (other issue fields as zod sends them) */
            message: components["schemas"]["InfisicalValidationIssueDto"][];
            /**
             * @description Same as the X-Request-Id response header
             * @example req-3f2a9c
             */
            reqId: string;
            /** @example 422 */
            statusCode: number;
        };
        InfisicalValidationIssueDto: {
            /**
             * @description zod's issue code: invalid_type, too_small, too_big, invalid_string, invalid_enum_value, invalid_literal, invalid_union_discriminator, custom, ...
             * @example invalid_type
             */
            code: string;
            /** @example Required */
            message: string;
            /**
             * @description Where in the input
             * @example [
             *       "credentials",
             *       "installationId"
             *     ]
             */
            path: (string | number)[];
        };
        InstallationDto: {
            /**
             * @description Works with a hub key (integration:write)
             * @example https://hub.example.com/api/app/installations/1/access_tokens
             */
            access_tokens_url: string;
            account: components["schemas"]["GithubAccountDto"];
            /** @example 1 */
            app_id: number;
            /** @example hub-app */
            app_slug: string;
            /** @example Iv1.ab1112223334445c */
            client_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @example [
             *       "push"
             *     ]
             */
            events: string[];
            /** @example https://github.com/organizations/github/settings/installations/1 */
            html_url: string;
            /** @example 1 */
            id: number;
            /**
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
            repository_selection: components["schemas"]["RepositorySelection"];
            single_file_name: string | null;
            /** Format: date-time */
            suspended_at: string | null;
            suspended_by: components["schemas"]["GithubAccountDto"] | null;
            /** @example 1 */
            target_id: number;
            /** @example Organization */
            target_type: string;
            /** Format: date-time */
            updated_at: string;
        };
        InstallationPermissionsDto: {
            /** @example acme-org */
            accountLogin: string;
            /**
             * @example {
             *       "contents": "read",
             *       "metadata": "read"
             *     }
             */
            granted: {
                [key: string]: string;
            };
            /** @example 12345678 */
            installationId: string;
            /**
             * @example [
             *       "administration"
             *     ]
             */
            missing: string[];
            sufficient: boolean;
        };
        InstallationRepositoriesDto: {
            repositories: components["schemas"]["TokenRepositoryDto"][];
            repository_selection: components["schemas"]["RepositorySelection"];
            total_count: number;
        };
        /** @enum {string} */
        IntegrationItemType: "issue" | "pull_request" | "deployment" | "alert" | "scan_finding";
        IntegrationObjectDto: {
            /**
             * @description JSON text, validated against the provider schema
             * @example {"default_channel":"#alerts"}
             */
            configuration: string;
            enabled: boolean;
            /**
             * @description Snowflake (decimal string)
             * @example 7300112233445566778
             */
            id: string;
            item_type: components["schemas"]["IntegrationItemType"];
            /** @example b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10 */
            organisation_id: string;
            provider: components["schemas"]["IntegrationProvider"];
        };
        /** @enum {string} */
        IntegrationProvider: "github" | "gitlab" | "slack" | "discord" | "jira" | "mantisbt" | "teams" | "email";
        /** @enum {string} */
        IntegrationStatus: "connected" | "disconnected" | "error";
        InventoryRepoDto: {
            /**
             * @description Findings on the repository (accepted ones included)
             * @example 2
             */
            findings: number;
            /** @example 12345678 */
            installationId: string;
            /** @example acme-org/api */
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
            status: components["schemas"]["RepoResultStatus"];
        };
        InviteDto: {
            /** Format: date-time */
            accepted_at: string | null;
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: uuid */
            id: string;
            role: components["schemas"]["OrgRole"];
        };
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
        LivenessDto: {
            /** @example ok */
            status: string;
        };
        MeDto: {
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
            organizations: components["schemas"]["UserOrganizationDto"][];
            /** Format: uuid */
            scoped_organization_id: string | null;
            /** @description Scopes of the key making this call */
            scopes: string[];
        };
        MemberDto: {
            /** Format: date-time */
            joined_at: string;
            role: components["schemas"]["OrgRole"];
            user: components["schemas"]["MemberUserDto"];
        };
        MemberUserDto: {
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
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
        OauthAuthorizeResponseDto: {
            /**
             * @description GitHub User OAuth URL the client should redirect to
             * @example https://github.com/login/oauth/authorize?client_id=Iv1.x&state=...
             */
            oauth_url: string;
        };
        OrganizationDto: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description The caller's role in this organization */
            membership_role: components["schemas"]["OrgRole"];
            name: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @enum {string} */
        OrgRole: "owner" | "admin" | "member";
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
        OutboxPageDto: {
            /** @description Emails matching the filter */
            count: number;
            /** @description Page size */
            limit: number;
            /** @description Offset of this page */
            offset: number;
            /** @description This page, newest first */
            results: components["schemas"]["OutboxEmailDto"][];
        };
        /** @enum {string} */
        OutboxStatus: "unsent" | "sent" | "discarded";
        PersonalApiKeyDto: {
            /** Format: date-time */
            created_at: string;
            /**
             * Format: uuid
             * @description The organization the key was created in: used when a request names none (no X-Organization-Id)
             */
            default_organization_id: string | null;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            label: string;
            /** Format: date-time */
            last_used_at: string | null;
            /**
             * @description Prefix and last four characters
             * @example ihk_...a1b2
             */
            mask_value: string;
            /** Format: uuid */
            scoped_organization_id: string | null;
            scopes: components["schemas"]["ApiScope"][];
        };
        PersonalApiKeyWithValueDto: {
            /** Format: date-time */
            created_at: string;
            /**
             * Format: uuid
             * @description The organization the key was created in: used when a request names none (no X-Organization-Id)
             */
            default_organization_id: string | null;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            label: string;
            /** Format: date-time */
            last_used_at: string | null;
            /**
             * @description Prefix and last four characters
             * @example ihk_...a1b2
             */
            mask_value: string;
            /** Format: uuid */
            scoped_organization_id: string | null;
            scopes: components["schemas"]["ApiScope"][];
            /**
             * @description The key itself. Shown only in this response.
             * @example ihk_Yk3...
             */
            value: string;
        };
        PolicyDto: {
            /** @example notify */
            action: string | null;
            /** @example branch_protection */
            check: string | null;
            config: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
            /** @description Why it was disabled automatically */
            disabled_reason: string | null;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            /** @description The integration it depends on */
            integration_id: string | null;
            /** @example Protect main */
            name: string;
            provider: components["schemas"]["IntegrationProvider"];
            /** Format: date-time */
            updated_at: string;
        };
        PolicyListDto: {
            policies: components["schemas"]["PolicyDto"][];
        };
        PosthogErrorDto: {
            /** @example kind */
            attr: string | null;
            /** @example invalid_input */
            code: string;
            /** @example Kind not supported */
            detail: string;
            /** @example validation_error */
            type: string;
        };
        ProjectDto: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            organization_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        ProjectIntegrationDto: {
            /** @description Non-secret configuration */
            config: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
            /** @description Who created it (null when created by the hub itself or the user is gone) */
            created_by: components["schemas"]["ProjectIntegrationUserDto"] | null;
            /** @example example.com */
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
            kind: components["schemas"]["IntegrationProvider"];
        };
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
            results: components["schemas"]["ProjectIntegrationDto"][];
        };
        ProjectIntegrationUserDto: {
            /**
             * Format: uuid
             * @description The user's distinct id (their uuid)
             */
            distinct_id: string;
            /** @example ada@example.com */
            email: string;
            /** @example Ada */
            first_name: string;
            /**
             * Format: uuid
             * @description The user's id (the hub's users have uuids; PostHog's integer id is not available)
             */
            id: string;
            /** @example Lovelace */
            last_name: string;
            /** Format: uuid */
            uuid: string;
        };
        ProxyRecordDto: {
            /** Format: date-time */
            created_at: string;
            /** @example e.example.com */
            domain: string;
            /** Format: uuid */
            id: string;
            status: components["schemas"]["ProxyRecordStatus"];
            /** @example 3f1c9a0b7d2e4c11.proxy.hub.example.com */
            target_cname: string;
        };
        /** @enum {string} */
        ProxyRecordStatus: "waiting" | "valid" | "erroring";
        PublicKeyRecordsDto: {
            /**
             * @description Where to publish the TXT records
             * @example _dcpubkeyv1.hub.example.com
             */
            host: string;
            /** @example _dcpubkeyv1 */
            key_id: string;
            /**
             * @example [
             *       "p=1,a=RS256,d=MIIBIjANBgkqh..."
             *     ]
             */
            records: string[];
        };
        ReadinessDto: {
            /**
             * @example ok
             * @enum {string}
             */
            database: "ok" | "unavailable";
            /** @description What is wrong, when something is: which stored secrets cannot be opened */
            detail?: string;
            /**
             * @example ok
             * @enum {string}
             */
            queue: "ok" | "unavailable";
            /**
             * @description Present when stored secrets cannot be opened with the configured encryption keys (checked at start-up)
             * @example unreadable
             * @enum {string}
             */
            secrets?: "unreadable";
            /**
             * @example ok
             * @enum {string}
             */
            status: "ok" | "unavailable";
        };
        RedactedGithubCredentialsDto: {
            /** @example github.example.com */
            host?: string;
            instanceType: components["schemas"]["GithubInstanceType"];
        };
        RepoDriftDto: {
            changes: components["schemas"]["FieldChangeDto"][];
            findingsAdded: components["schemas"]["DriftFindingDto"][];
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
            /** @example acme-org/api */
            repo: string;
        };
        RepoDto: {
            /** @example repo_123 */
            id: string;
            /** @example acme/api */
            name: string;
            private: boolean;
        };
        RepoListDto: {
            page: number;
            per_page: number;
            repos: components["schemas"]["RepoDto"][];
            total: number;
        };
        /**
         * @description Whether everything about the repository could be read
         * @enum {string}
         */
        RepoResultStatus: "ok" | "partial" | "error";
        /** @enum {string} */
        RepositorySelection: "all" | "selected";
        RequestAccessDto: {
            /** @example github */
            kind: components["schemas"]["IntegrationProvider"];
            /** @example We want pull request links on our issues */
            reason: string;
        };
        ResolveAccessRequestDto: {
            note?: string;
            status: components["schemas"]["AccessRequestResolution"];
        };
        RolledWebhookSecretDto: {
            /**
             * Format: date-time
             * @description Until when the previous secret also signs (null: not at all)
             */
            previous_secret_expires_at: string | null;
            /** @description The new signing secret, shown only here */
            secret: string;
        };
        RollWebhookSecretDto: {
            /**
             * @description How long the old secret keeps signing beside the new one
             * @default 86400
             */
            grace_period_seconds: number;
        };
        ScanBaselineDto: {
            allowOutsideCollaborators: boolean;
            forbidDeletions: boolean;
            forbidForcePushes: boolean;
            forbidOutsideCollaboratorWrite: boolean;
            /** @description True while the organization uses the default baseline */
            isDefault: boolean;
            maxAdmins: number;
            maxOpenSecretScanningAlerts: number;
            maxOpenVulnerabilityAlerts: number;
            minApprovingReviews: number;
            requireAdmin: boolean;
            requireBranchProtection: boolean;
            requireCodeOwnerReviews: boolean;
            requireCodeowners: boolean;
            requireDependabotAlerts: boolean;
            requireDismissStaleReviews: boolean;
            requireEnforceAdmins: boolean;
            requireLinearHistory: boolean;
            requireSecurityPolicy: boolean;
            requireSignedCommits: boolean;
            requireStatusChecks: boolean;
            requireStrictStatusChecks: boolean;
            skipArchived: boolean;
            staleAfterDays: number;
            /** Format: date-time */
            updatedAt: string | null;
        };
        ScanCacheInvalidatedDto: {
            /**
             * @description Installations whose cached pages were dropped
             * @example 1
             */
            installations: number;
            /** @example true */
            invalidated: boolean;
        };
        /**
         * @description The finding acknowledged; omitted: the whole repository is exempt
         * @enum {string}
         */
        ScanCheck: "data_unavailable" | "archived" | "branch_protection" | "required_reviews" | "code_owner_reviews" | "dismiss_stale_reviews" | "status_checks" | "strict_status_checks" | "enforce_admins" | "force_pushes" | "branch_deletion" | "linear_history" | "signed_commits" | "security_policy" | "codeowners" | "admins" | "no_admins" | "outside_collaborators" | "outside_collaborator_write" | "stale_repository" | "vulnerability_alerts" | "dependabot_alerts_disabled" | "secret_scanning_alerts";
        ScanCostDto: {
            /**
             * @description GraphQL points, as GitHub reports each query's cost (rateLimit.cost)
             * @example 2400
             */
            graphqlPoints: number;
            /** @example 100 */
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
        };
        ScanDriftDto: {
            /** @example 1 */
            added: number;
            /** @example 2 */
            changed: number;
            /**
             * Format: uuid
             * @description The previous completed scan; null after the first scan
             */
            fromScanId: string | null;
            /** @example 0 */
            removed: number;
            /** @example 1 */
            renamed: number;
            repos: components["schemas"]["RepoDriftDto"][];
            /** Format: uuid */
            toScanId: string;
        };
        ScanExemptionDto: {
            /** @description False once expired */
            active: boolean;
            /** @example branch_protection */
            check: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            /** Format: date-time */
            expiresAt: string;
            /** Format: uuid */
            id: string;
            /**
             * @description acknowledgement: one finding (repo and check); exemption: the whole repository
             * @enum {string}
             */
            kind: "acknowledgement" | "exemption";
            reason: string;
            /** @example acme-org/legacy-api */
            repo: string;
        };
        ScanExemptionListDto: {
            exemptions: components["schemas"]["ScanExemptionDto"][];
        };
        ScanFindingDto: {
            /** @example branch_protection */
            check: string;
            /** @example Default branch 'main' is not protected */
            message: string;
            /** @example acme-org/api */
            repo: string;
            /** @description Whether everything about the repository could be read */
            repoStatus: components["schemas"]["RepoResultStatus"];
            severity: components["schemas"]["FindingSeverity"];
            /** @description Present when an active acknowledgement or exemption accepts the finding */
            suppression?: components["schemas"]["FindingSuppressionDto"];
        };
        ScanInventoryDto: {
            /** Format: date-time */
            completedAt: string;
            /** @example 1 */
            page: number;
            /** @example 100 */
            per_page: number;
            repos: components["schemas"]["InventoryRepoDto"][];
            /** Format: uuid */
            scanId: string;
            /** @example 64 */
            total: number;
        };
        ScanPermissionsDto: {
            /** @description Permissions granted by every installation, at the lowest level any grants */
            granted: {
                [key: string]: string;
            };
            installations: components["schemas"]["InstallationPermissionsDto"][];
            /**
             * @example [
             *       "administration"
             *     ]
             */
            missing: string[];
            /**
             * @description Read when granted (vulnerability alerts, admin teams, secret scanning alerts); their absence is not a failure
             * @example {
             *       "members": "read",
             *       "secret_scanning_alerts": "read",
             *       "vulnerability_alerts": "read"
             *     }
             */
            optional: {
                [key: string]: string;
            };
            /**
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
        ScanProgressDto: {
            /** @example The repositories of acme could not be read */
            error?: string;
            /** Format: date-time */
            finishedAt?: string;
            /** @description What the scan has cost so far, in GitHub's rate-limit terms */
            githubCost?: components["schemas"]["ScanCostDto"];
            /** @example 65 */
            progress: number;
            /** @example 42 */
            reposScanned: number;
            /** @example 64 */
            reposTotal: number;
            /**
             * Format: uuid
             * @description The scan reported on; null when the organization was never scanned
             */
            scanId: string | null;
            /**
             * Format: date-time
             * @example 2026-04-30T08:00:00Z
             */
            startedAt: string | null;
            /** @example scanning */
            status: components["schemas"]["ScanStatus"];
        };
        ScanResultsDto: {
            /** Format: date-time */
            completedAt: string;
            /** @example 1 */
            page: number;
            /** @example 100 */
            per_page: number;
            results: components["schemas"]["ScanFindingDto"][];
            /** Format: uuid */
            scanId: string;
            /** @example 12 */
            total: number;
        };
        /** @enum {string} */
        ScanResultsFormat: "json" | "sarif" | "csv";
        ScanScheduleDto: {
            /**
             * @description null: no scheduled scans
             * @example 0 3 * * 1-5
             */
            cron: string | null;
            /** Format: date-time */
            lastRunAt: string | null;
            /**
             * Format: uuid
             * @description The scan the schedule last started (or found running)
             */
            lastScanId: string | null;
            /** Format: date-time */
            nextRunAt: string | null;
        };
        /** @enum {string} */
        ScanStatus: "idle" | "queued" | "scanning" | "completed" | "failed" | "cancelled";
        ScanStatusDto: {
            /** Format: date-time */
            lastCompletedAt: string | null;
            /** Format: uuid */
            lastScanId: string | null;
            /** @description Status of the most recent scan (idle when none) */
            status: components["schemas"]["ScanStatus"];
        };
        SuccessDto: {
            /** @example true */
            success: boolean;
        };
        /** @enum {string} */
        SuppressedFilter: "include" | "exclude" | "only";
        SyncAcceptedDto: {
            /** @description The integration id */
            id: string;
            /** @description The queued job id */
            job_id: string;
            /** @example queued */
            status: string;
        };
        /** @enum {string} */
        TemplateSupport: "yes" | "no" | "unknown";
        TemplateSupportDto: {
            provider_name: string | null;
            /** @example email-verification-us */
            service_id: string;
            /** @description Whether the domain's DNS provider supports Domain Connect */
            supported: boolean;
            template_supported: components["schemas"]["TemplateSupport"];
        };
        TokenRepositoryDto: {
            full_name: string;
            id: number;
            name: string;
            node_id: string;
            private: boolean;
        };
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
            name?: string;
            /**
             * @description Update only if the connection is still at this version (409 otherwise); the If-Match header does the same
             * @example 3
             */
            version?: number;
        };
        UpdateIntegrationObjectDto: {
            /** @description JSON text, validated against the provider schema */
            configuration?: string;
            enabled?: boolean;
        };
        UpdateMemberDto: {
            role: components["schemas"]["OrgRole"];
        };
        UpdateOrganizationDto: {
            name?: string;
        };
        UpdatePolicyDto: {
            /** @example notify */
            action?: string;
            /** @example branch_protection */
            check?: string;
            config?: {
                [key: string]: unknown;
            };
            enabled?: boolean;
            name?: string;
        };
        UpdateProjectDto: {
            name?: string;
        };
        UpdateScanBaselineDto: {
            allowOutsideCollaborators?: boolean;
            forbidDeletions?: boolean;
            forbidForcePushes?: boolean;
            /** @description Outside collaborators must not have write, maintain or admin permission */
            forbidOutsideCollaboratorWrite?: boolean;
            maxAdmins?: number;
            maxOpenSecretScanningAlerts?: number;
            maxOpenVulnerabilityAlerts?: number;
            minApprovingReviews?: number;
            /** @description Someone (a user or a team) must administer each repository */
            requireAdmin?: boolean;
            requireBranchProtection?: boolean;
            requireCodeOwnerReviews?: boolean;
            requireCodeowners?: boolean;
            /** @description Dependabot alerts must be enabled */
            requireDependabotAlerts?: boolean;
            requireDismissStaleReviews?: boolean;
            requireEnforceAdmins?: boolean;
            requireLinearHistory?: boolean;
            requireSecurityPolicy?: boolean;
            requireSignedCommits?: boolean;
            requireStatusChecks?: boolean;
            requireStrictStatusChecks?: boolean;
            skipArchived?: boolean;
            /** @description Days without a push after which a repository is stale; 0 turns the check off */
            staleAfterDays?: number;
        };
        UpdateScanScheduleDto: {
            /**
             * @description Five-field cron expression in UTC (minute hour day-of-month month day-of-week)
             * @example 0 3 * * 1-5
             */
            cron: string;
        };
        UpdateWebhookDto: {
            description?: string | null;
            /** @description Enabling a subscription the hub disabled clears its failure streak */
            enabled?: boolean;
            events?: components["schemas"]["WebhookEventType"][];
            url?: string;
        };
        UserDto: {
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        UserOrganizationDto: {
            /** Format: uuid */
            id: string;
            name: string;
            role: components["schemas"]["OrgRole"];
        };
        WebhookAckDto: {
            status: components["schemas"]["WebhookOutcome"];
        };
        WebhookDeliveryDto: {
            /** @description Attempts started so far */
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /**
             * @description The event id, sent as `webhook-id` on every attempt: de-duplicate on it
             * @example evt_7281928173618176
             */
            event_id: string;
            event_type: components["schemas"]["WebhookEventType"];
            /** Format: date-time */
            first_attempt_at: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_attempt_at: string | null;
            last_error: string | null;
            /** Format: date-time */
            next_attempt_at: string | null;
            /** @description The receiver's HTTP status on the last attempt */
            response_status: number | null;
            /** @description Duration of the last attempt in milliseconds */
            response_time_ms: number | null;
            status: components["schemas"]["WebhookDeliveryStatus"];
            /** Format: date-time */
            succeeded_at: string | null;
        };
        WebhookDeliveryPageDto: {
            count: number;
            limit: number;
            offset: number;
            results: components["schemas"]["WebhookDeliveryDto"][];
        };
        /** @enum {string} */
        WebhookDeliveryStatus: "pending" | "sending" | "succeeded" | "failed";
        WebhookDto: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            /** @description Why the hub disabled the subscription */
            disabled_reason: string | null;
            enabled: boolean;
            events: components["schemas"]["WebhookEventType"][];
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description Until when the previous secret also signs
             */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        /** @enum {string} */
        WebhookEventType: "integration.connected" | "integration.disconnected" | "integration.updated" | "integration.health_changed" | "integration.refresh_failed" | "github.installation.suspended" | "github.installation.unsuspended" | "github.installation.deleted" | "github.installation.repositories_changed" | "app_connection.created" | "app_connection.updated" | "app_connection.deleted" | "scan.completed" | "scan.failed" | "access_request.created" | "access_request.resolved";
        WebhookListDto: {
            results: components["schemas"]["WebhookDto"][];
        };
        /** @enum {string} */
        WebhookOutcome: "queued" | "duplicate" | "ignored";
        WorkspaceIntegrationDto: {
            /** Format: date-time */
            connectedAt: string;
            /** @example acme-org */
            displayName: string;
            enabled: boolean;
            errors: string | null;
            /**
             * @description Snowflake id (decimal string)
             * @example 7300112233445566778
             */
            id: string;
            /** Format: date-time */
            lastSyncedAt: string | null;
            /** @description Null for workspace-level integrations */
            projectId: string | null;
            provider: components["schemas"]["IntegrationProvider"];
            status: components["schemas"]["IntegrationStatus"];
        };
        WorkspaceIntegrationListDto: {
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
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listGithubInstallationRepositories: {
        parameters: {
            query?: {
                page?: number;
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
                    "application/json": components["schemas"]["ErrorBodyDto"];
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
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listGithubInstallations: {
        parameters: {
            query?: {
                page?: number;
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
                    "application/json": components["schemas"]["ErrorBodyDto"];
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
        };
    };
    integrationCallback: {
        parameters: {
            query?: {
                code?: string;
                /** @description Provider-reported error (the user denied access, ...) */
                error?: string;
                error_description?: string;
                /** @description Discord: the server the user picked (webhook.incoming and bot scopes) */
                guild_id?: string;
                /** @description GitHub App installation id */
                installation_id?: string;
                /** @description Discord: the bot permissions granted (bot scope) */
                permissions?: string;
                /** @description GitHub: install, update or request */
                setup_action?: string;
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
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectIntegrationDto"];
            };
        };
        responses: {
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
        };
    };
    listProviderRepos: {
        parameters: {
            query?: {
                /** @description Which integration of the provider; default the first connected one */
                integrationId?: string;
                page?: number;
                /** @description Capped at 100 */
                per_page?: number;
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
                page?: number;
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
                page?: number;
                per_page?: number;
                /** @description Repository, as owner/name or name */
                repo?: string;
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
                    "application/sarif+json": components["schemas"]["ErrorBodyDto"];
                    "text/csv": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                    "application/sarif+json": components["schemas"]["ErrorBodyDto"];
                    "text/csv": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No completed scan yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                    "application/sarif+json": components["schemas"]["ErrorBodyDto"];
                    "text/csv": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                    "application/sarif+json": components["schemas"]["ErrorBodyDto"];
                    "text/csv": components["schemas"]["ErrorBodyDto"];
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
            /** @description Missing, malformed, unknown, revoked or expired API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The key lacks the scope, or the user lacks the role or permission */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many failed authentications from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    listOrganizations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"][];
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
                limit?: number;
                offset?: number;
                /** @description Entries at or after this time */
                since?: string;
                /** @description Only entries about this object */
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
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteDto"][];
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
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDto"][];
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
                limit?: number;
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
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectDto"][];
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
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyRecordDto"][];
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
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
                limit?: number;
                offset?: number;
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
        };
    };
    listPersonalApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalApiKeyDto"][];
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
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProjectIntegrationDto"];
            };
        };
        responses: {
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
        };
    };
    checkDomainConnectTemplate: {
        parameters: {
            query?: {
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
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessDto"];
                };
            };
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
        };
    };
    getGithubAppConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
        };
    };
    createGithubAppConnectionAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
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
        };
    };
    listGithubAppConnectionRepositories: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
                connectionName: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
        };
    };
}
