export enum IntegrationProvider {
  Github = 'github',
  Gitlab = 'gitlab',
  Slack = 'slack',
  Discord = 'discord',
  Jira = 'jira',
  Mantisbt = 'mantisbt',
  Teams = 'teams',
  Email = 'email',
}

export const SUPPORTED_PROVIDERS = Object.values(IntegrationProvider);

export enum IntegrationStatus {
  Connected = 'connected',
  Disconnected = 'disconnected',
  Error = 'error',
}

/** The object type an integration triggers on (vRaptor's `item_type`). */
export enum IntegrationItemType {
  Issue = 'issue',
  PullRequest = 'pull_request',
  Deployment = 'deployment',
  Alert = 'alert',
  ScanFinding = 'scan_finding',
}

/** Audit log actions of integrations. */
export enum IntegrationAuditAction {
  DestinationChangeRefused = 'integration.destination_change_refused',
}
