import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Repository } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { JobQueue } from '../queue/job-queue';
import { CHANGE_EVENTS, GithubChangeEvents } from './github-change-events';
import { GithubInstallationsService } from './github-installations.service';
import { GithubRepositoriesService } from './github-repositories.service';
import { GithubUserLinksService } from './github-user-links.service';
import { GithubWebhookDeliveryEntity } from './github-webhook-delivery.entity';
import { InstallationTokensService } from './installation-tokens.service';
import { malformedJson } from '../common/common.errors';
import { githubWebhooksNotConfigured, invalidWebhookSignature, webhookHeadersMissing } from './github.errors';

export const WEBHOOK_JOB = 'github';
const HANDLED_EVENTS = new Set(['installation', 'installation_target', 'github_app_authorization', ...CHANGE_EVENTS]);

/** What a queued delivery carries: identifiers only, never the raw payload. */
export interface WebhookJob {
  deliveryId: string;
  event: string;
  action: string | null;
  installationId: string | null;
  senderId: string | null;
}

export type WebhookOutcome = 'queued' | 'duplicate' | 'ignored';

/** Checks `X-Hub-Signature-256` (HMAC-SHA256 of the exact bytes) in constant time. */
export function signatureMatches(secret: string, raw: Buffer, header: string | undefined): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(Buffer.from(m[1], 'hex'), expected);
}

/** Receives GitHub deliveries fast (verify, dedupe, enqueue) and applies them on the 'webhooks' queue. */
@Injectable()
export class GithubWebhooksService implements OnModuleInit {
  private readonly logger = new Logger('GithubWebhooks');

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectRepository(GithubWebhookDeliveryEntity) private readonly deliveries: Repository<GithubWebhookDeliveryEntity>,
    private readonly queue: JobQueue,
    private readonly installations: GithubInstallationsService,
    private readonly repositories: GithubRepositoriesService,
    private readonly links: GithubUserLinksService,
    private readonly tokens: InstallationTokensService,
    private readonly changes: GithubChangeEvents,
  ) {}

  onModuleInit(): void {
    this.queue.process<WebhookJob>('webhooks', WEBHOOK_JOB, (job) => this.apply(job.data), 4);
  }

  async receive(raw: Buffer | undefined, headers: IncomingHttpHeaders): Promise<WebhookOutcome> {
    const secret = this.config.github.webhookSecret;
    if (!secret) throw githubWebhooksNotConfigured();
    if (!signatureMatches(secret, raw ?? Buffer.alloc(0), header(headers, 'x-hub-signature-256'))) {
      throw invalidWebhookSignature();
    }
    const event = header(headers, 'x-github-event');
    const deliveryId = header(headers, 'x-github-delivery');
    if (!event || !deliveryId || deliveryId.length > 64) throw webhookHeadersMissing();
    let payload: GithubWebhookPayload;
    try {
      payload = JSON.parse((raw ?? Buffer.alloc(0)).toString('utf8')) as GithubWebhookPayload;
    } catch {
      throw malformedJson('Webhook body is not JSON');
    }
    const action = typeof payload.action === 'string' ? payload.action.slice(0, 64) : null;
    const inserted: unknown[] = await this.deliveries.query(
      'INSERT INTO github_webhook_deliveries (delivery_id, event, action) VALUES ($1, $2, $3) ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id',
      [deliveryId, event.slice(0, 64), action],
    );
    if (inserted.length === 0) return 'duplicate';
    if (!HANDLED_EVENTS.has(event)) return 'ignored';
    const job: WebhookJob = {
      deliveryId,
      event,
      action,
      installationId: payload.installation?.id !== undefined ? String(payload.installation.id) : null,
      senderId: payload.sender?.id !== undefined ? String(payload.sender.id) : null,
    };
    try {
      // Revocations take effect before GitHub gets its answer; everything else is queued.
      if (event === 'installation' && job.installationId && (action === 'suspend' || action === 'deleted')) await this.installations.revoke(job.installationId, action);
      await this.queue.add('webhooks', WEBHOOK_JOB, job, { jobId: `github-${deliveryId}` });
    } catch (err) {
      // Forget the delivery so that GitHub's redelivery is processed rather than answered as a duplicate.
      await this.deliveries.delete({ deliveryId });
      throw err;
    }
    return 'queued';
  }

  async apply(job: WebhookJob): Promise<void> {
    const { event, action, installationId } = job;
    if (event === 'installation' && installationId && (action === 'deleted' || action === 'suspend' || action === 'unsuspend')) {
      await this.installations.applyLifecycle(installationId, action);
    } else if (installationId && ((event === 'installation' && action === 'new_permissions_accepted') || (event === 'installation_target' && action === 'renamed'))) {
      await this.refreshInstallation(installationId);
    } else if (event === 'installation_repositories' && installationId) {
      const repos = await this.repositories.refresh(installationId);
      await this.installations.repositoriesChanged(installationId, repos.length);
    } else if (event === 'github_app_authorization' && action === 'revoked' && job.senderId) {
      await this.links.dropGithubUser(job.senderId);
    }
    if (CHANGE_EVENTS.has(event) && installationId) await this.changes.publish({ event, action, installationId });
    await this.deliveries.update({ deliveryId: job.deliveryId }, { processedAt: new Date() });
    this.logger.log(`applied GitHub ${event}.${action ?? ''} delivery ${job.deliveryId}`);
  }

  /**
   * A renamed account or newly accepted permissions: the installation is re-read from GitHub (the delivery carries
   * identifiers only), and cached tokens whose permissions a mint would no longer give are dropped.
   */
  private async refreshInstallation(installationId: string): Promise<void> {
    const refreshed = await this.installations.refresh(installationId);
    if (!refreshed || samePermissions(refreshed.previousPermissions, refreshed.row.permissions)) return;
    const dropped = await this.tokens.dropStale(installationId, refreshed.row.permissions);
    if (dropped > 0) this.logger.log(`installation ${installationId}: dropped ${dropped} cached token(s) with outdated permissions`);
  }
}

interface GithubWebhookPayload {
  action?: unknown;
  installation?: { id?: number };
  sender?: { id?: number };
}

function samePermissions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
