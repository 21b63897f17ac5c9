/** Every event the hub sends; a subscription lists the ones it wants (`webhook.test` goes only where it is asked for). */
export enum WebhookEventType {
  IntegrationConnected = 'integration.connected',
  IntegrationDisconnected = 'integration.disconnected',
  IntegrationUpdated = 'integration.updated',
  IntegrationHealthChanged = 'integration.health_changed',
  IntegrationRefreshFailed = 'integration.refresh_failed',
  GithubInstallationSuspended = 'github.installation.suspended',
  GithubInstallationUnsuspended = 'github.installation.unsuspended',
  GithubInstallationDeleted = 'github.installation.deleted',
  GithubInstallationRepositoriesChanged = 'github.installation.repositories_changed',
  AppConnectionCreated = 'app_connection.created',
  AppConnectionUpdated = 'app_connection.updated',
  AppConnectionDeleted = 'app_connection.deleted',
  ScanCompleted = 'scan.completed',
  ScanFailed = 'scan.failed',
  AccessRequestCreated = 'access_request.created',
  AccessRequestResolved = 'access_request.resolved',
  WebhookTest = 'webhook.test',
}

/** What a subscription may list: every type but the test event, which `POST .../test` sends on demand. */
export const SUBSCRIBABLE_EVENT_TYPES = Object.values(WebhookEventType).filter((t) => t !== WebhookEventType.WebhookTest);

export enum WebhookDeliveryStatus {
  /** Waiting for its next attempt (the first one, or a retry at `next_attempt_at`). */
  Pending = 'pending',
  /** An attempt is in flight; a worker holds it until `lease_until`. */
  Sending = 'sending',
  Succeeded = 'succeeded',
  /** Gave up: a 4xx other than 408/429, attempts exhausted, refused by the outbound guard, or the subscription was disabled. */
  Failed = 'failed',
}

export enum WebhookAuditAction {
  Create = 'webhook.create',
  Update = 'webhook.update',
  Delete = 'webhook.delete',
  RollSecret = 'webhook.roll_secret',
  Test = 'webhook.test',
  RetryDelivery = 'webhook.retry_delivery',
}
