/** Apps a connection can be made to (Infisical's `app`). */
export enum AppConnectionApp {
  Github = 'github',
}

/** How a connection authenticates (Infisical's `method`). */
export enum AppConnectionMethod {
  GithubApp = 'github-app',
  /** A user's OAuth token for the hub's GitHub App, kept sealed. */
  OAuth = 'oauth',
}

/** github.com, or a GitHub Enterprise Server named by `host`. */
export enum GithubInstanceType {
  Cloud = 'cloud',
  Server = 'server',
}

/** Audit actions this module records. */
export enum AppConnectionAuditAction {
  Create = 'app_connection.create',
  Update = 'app_connection.update',
  Delete = 'app_connection.delete',
  TokenMint = 'app_connection.token_mint',
  /** The host or gateway the credentials go through changed (with the credentials presented again). */
  DestinationChange = 'app_connection.destination_change',
  DestinationChangeRefused = 'app_connection.destination_change_refused',
}
