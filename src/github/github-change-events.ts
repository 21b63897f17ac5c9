import { Injectable } from '@nestjs/common';

/** Webhook events by which GitHub announces a change to what an installation's repositories are or allow. */
export const CHANGE_EVENTS = new Set([
  'repository',
  'branch_protection_rule',
  'repository_ruleset',
  'member',
  'team',
  'secret_scanning_alert',
  'installation_repositories',
  // Owners added or removed, and secret scanning or push protection switched.
  'organization',
  'security_and_analysis',
]);

export interface GithubChange {
  event: string;
  action: string | null;
  installationId: string;
}

/**
 * Where applied webhooks announce changes, so that modules holding GitHub data (the scan's kept responses) can drop
 * it without the github module knowing them.
 */
@Injectable()
export class GithubChangeEvents {
  private readonly listeners: Array<(change: GithubChange) => Promise<void>> = [];

  subscribe(listener: (change: GithubChange) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async publish(change: GithubChange): Promise<void> {
    for (const listener of this.listeners) await listener(change);
  }
}
