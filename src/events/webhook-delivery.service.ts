import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboundBlockedError } from '../common/outbound/address-guard';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { JobQueue } from '../queue/job-queue';
import { AttemptResult, AttemptVerdict, judgeAttempt } from './delivery-policy';
import { DELIVER_JOB, DeliverJobData, EventOutboxService } from './event-outbox.service';
import { WebhookDeliveryStatus } from './events.enums';
import { EventsMetrics } from './events.metrics';
import { standardWebhookHeaders } from './webhook-signature';
import { previousSecretSealContext, secretSealContext } from './webhook-secrets';

/** Deliveries attempted at once by one job; a job carries the deliveries of one event (or a retry, or a sweep batch). */
const JOB_CONCURRENCY = 16;
const SWEEP_BATCH = 500;
const SWEEP_JOB_SIZE = 50;
/** A lease outlives the attempt's timeout by this much before the sweeper presumes its worker dead. */
const LEASE_MARGIN_MS = 5000;
/** A pending delivery whose job has not run for this many sweep intervals is presumed lost and queued again. */
const STALE_SWEEPS = 60;
/** Bytes of a receiver's response body read (and dropped) so the connection can be reused. */
const MAX_RESPONSE_BYTES = 64 * 1024;

interface ClaimedDelivery {
  id: string;
  attempts: number;
  event_id: string;
  event_created_at: Date;
  body: string;
  subscription_id: string;
  organization_id: string;
  url: string;
  sealed_secret: string;
  sealed_previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
}

interface AttemptRecord {
  delivery: ClaimedDelivery;
  verdict: AttemptVerdict;
  status: number | null;
  ms: number;
}

/**
 * Sends deliveries (workers only): claims each one (so one attempt is in flight at a time, whichever jobs and
 * workers see it), signs it the Standard Webhooks way, sends it through the SSRF-guarded client, records the
 * outcome and schedules the retry. A sweeper queues again what a dead worker or a lost job left behind, and a
 * subscription that keeps failing is disabled and its organization's admins are emailed.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueue,
    private readonly outbox: EventOutboxService,
    private readonly outbound: OutboundHttpService,
    private readonly keyRing: KeyRing,
    private readonly mail: MailService,
    private readonly organizations: OrganizationsService,
    private readonly metrics: EventsMetrics,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    this.queue.process<DeliverJobData>('events', DELIVER_JOB, (job) => this.deliver(job.data.deliveryIds), JOB_CONCURRENCY);
    if (this.config.role === 'api') return;
    this.sweeper = setInterval(() => void this.sweep().catch((err: Error) => this.logger.warn(`webhook sweep failed: ${err.message}`)), this.config.webhooks.sweepIntervalMs);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** One attempt for each of the deliveries that is due and not in flight elsewhere. */
  async deliver(deliveryIds: string[]): Promise<{ attempted: number }> {
    const claimed = await this.claim(deliveryIds);
    if (claimed.length === 0) return { attempted: 0 };
    const records = await Promise.all(claimed.map((d) => this.attempt(d)));
    await this.recordOutcomes(records);
    for (const r of records) {
      if (r.verdict.outcome === 'retry') await this.outbox.enqueue(`retry-${r.delivery.id}-${r.delivery.attempts}`, { deliveryIds: [r.delivery.id] }, r.verdict.delayMs);
    }
    await this.updateSubscriptionHealth(records);
    return { attempted: claimed.length };
  }

  /** Queues again deliveries whose attempt outlived its lease (worker died) or whose job was lost; returns how many. */
  async sweep(): Promise<number> {
    const staleBefore = new Date(Date.now() - STALE_SWEEPS * this.config.webhooks.sweepIntervalMs);
    const rows: Array<{ id: string; sweep_generation: number }> = rowsOf(
      await this.db.query(
        `UPDATE webhook_deliveries SET status = 'pending', lease_until = NULL, sweep_generation = sweep_generation + 1
         WHERE id IN (
           SELECT id FROM webhook_deliveries
           WHERE (status = 'pending' AND next_attempt_at < $1) OR (status = 'sending' AND lease_until < now())
           ORDER BY next_attempt_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING id, sweep_generation`,
        [staleBefore],
      ),
    );
    for (let i = 0; i < rows.length; i += SWEEP_JOB_SIZE) {
      const batch = rows.slice(i, i + SWEEP_JOB_SIZE);
      await this.outbox.enqueue(`sweep-${batch[0].id}-${batch[0].sweep_generation}`, { deliveryIds: batch.map((r) => r.id) });
    }
    if (rows.length) this.logger.warn(`queued ${rows.length} webhook deliveries again (lost job or expired lease)`);
    return rows.length;
  }

  private async claim(ids: string[]): Promise<ClaimedDelivery[]> {
    const leaseMs = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
    return rowsOf(
      await this.db.query(
        `UPDATE webhook_deliveries d SET status = 'sending', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2::double precision / 1000),
           first_attempt_at = coalesce(d.first_attempt_at, clock_timestamp()), last_attempt_at = clock_timestamp()
         FROM webhook_subscriptions s, webhook_events e
         WHERE d.id = ANY($1::uuid[]) AND d.status = 'pending' AND d.next_attempt_at <= now() + interval '1 second'
           AND s.id = d.subscription_id AND s.enabled AND e.id = d.event_id
         RETURNING d.id, d.attempts, d.event_id, e.created_at AS event_created_at, e.body, d.subscription_id, s.organization_id, s.url,
           s.sealed_secret, s.sealed_previous_secret, s.previous_secret_expires_at, s.failing_since`,
        [ids, leaseMs],
      ),
    );
  }

  private async attempt(d: ClaimedDelivery): Promise<AttemptRecord> {
    const started = Date.now();
    if (d.attempts === 1) this.metrics.firstAttemptDelay.observe((started - new Date(d.event_created_at).getTime()) / 1000);
    const secrets = [this.keyRing.open(d.sealed_secret, secretSealContext(d.subscription_id))];
    if (d.sealed_previous_secret && d.previous_secret_expires_at && new Date(d.previous_secret_expires_at).getTime() > started) {
      secrets.push(this.keyRing.open(d.sealed_previous_secret, previousSecretSealContext(d.subscription_id)));
    }
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'IntegrationsHub-Webhooks/1.0',
      ...standardWebhookHeaders(secrets, d.event_id, Math.floor(started / 1000), d.body),
    };
    let result: AttemptResult;
    try {
      const res = await this.outbound.request(d.url, { method: 'POST', headers, body: d.body, timeoutMs: this.config.webhooks.timeoutMs, attempts: 1, redirect: 'manual' });
      await drain(res.body);
      result = { kind: 'response', status: res.status, retryAfter: res.headers.get('retry-after') };
    } catch (err) {
      result = err instanceof OutboundBlockedError ? { kind: 'blocked', message: err.message } : { kind: 'network', message: (err as Error).message };
    }
    const ms = Date.now() - started;
    const verdict = judgeAttempt(result, d.attempts, this.config.webhooks);
    this.metrics.observe(verdict.outcome === 'retry' ? 'retried' : verdict.outcome, ms / 1000);
    return { delivery: d, verdict, status: result.kind === 'response' ? result.status : null, ms };
  }

  private async recordOutcomes(records: AttemptRecord[]): Promise<void> {
    const now = Date.now();
    const col = <T>(f: (r: AttemptRecord) => T) => records.map(f);
    await this.db.query(
      `UPDATE webhook_deliveries d SET status = v.status, next_attempt_at = v.next_attempt_at, lease_until = NULL, response_status = v.response_status,
         response_time_ms = v.ms, last_error = v.last_error, succeeded_at = v.succeeded_at
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::text[], $8::timestamptz[])
         AS v(id, attempts, status, next_attempt_at, response_status, ms, last_error, succeeded_at)
       WHERE d.id = v.id AND d.attempts = v.attempts AND d.status = 'sending'`,
      [
        col((r) => r.delivery.id),
        col((r) => r.delivery.attempts),
        col((r) => (r.verdict.outcome === 'succeeded' ? WebhookDeliveryStatus.Succeeded : r.verdict.outcome === 'retry' ? WebhookDeliveryStatus.Pending : WebhookDeliveryStatus.Failed)),
        col((r) => (r.verdict.outcome === 'retry' ? new Date(now + r.verdict.delayMs) : null)),
        col((r) => r.status),
        col((r) => r.ms),
        col((r) => (r.verdict.outcome === 'succeeded' ? null : r.verdict.reason.slice(0, 1000))),
        col((r) => (r.verdict.outcome === 'succeeded' ? new Date(now) : null)),
      ],
    );
  }

  /** Any success clears a subscription's failing streak; a streak older than WEBHOOK_DISABLE_AFTER_HOURS disables it. */
  private async updateSubscriptionHealth(records: AttemptRecord[]): Promise<void> {
    const succeeded = new Set(records.filter((r) => r.verdict.outcome === 'succeeded').map((r) => r.delivery.subscription_id));
    const failing = [...new Set(records.filter((r) => r.verdict.outcome !== 'succeeded').map((r) => r.delivery.subscription_id))].filter((id) => !succeeded.has(id));
    // Only subscriptions that were failing when claimed need their streak cleared (the common case costs no query).
    const recovered = [...new Set(records.filter((r) => r.verdict.outcome === 'succeeded' && r.delivery.failing_since).map((r) => r.delivery.subscription_id))];
    if (recovered.length) await this.db.query(`UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ANY($1::uuid[]) AND failing_since IS NOT NULL`, [recovered]);
    if (!failing.length) return;
    const now = new Date();
    await this.db.query(`UPDATE webhook_subscriptions SET failing_since = $2 WHERE id = ANY($1::uuid[]) AND failing_since IS NULL`, [failing, now]);
    const hours = this.config.webhooks.disableAfterHours;
    const reason = `Disabled by the hub: every delivery failed for ${hours} hours`;
    const disabled: Array<{ id: string; organization_id: string; url: string }> = rowsOf(
      await this.db.query(
        `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $3, updated_at = now()
         WHERE id = ANY($1::uuid[]) AND enabled AND failing_since <= $2::timestamptz - make_interval(hours => $4) RETURNING id, organization_id, url`,
        [failing, now, reason, hours],
      ),
    );
    for (const sub of disabled) {
      await this.failPending(sub.id, reason);
      await this.notifyDisabled(sub.organization_id, sub.id, sub.url, hours);
    }
  }

  /** Pending deliveries of a subscription that will not be sent (disabled); kept in the log, replayable once re-enabled. */
  async failPending(subscriptionId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = $2 WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId, reason],
    );
  }

  private async notifyDisabled(organizationId: string, subscriptionId: string, url: string, hours: number): Promise<void> {
    this.logger.warn(`webhook subscription ${subscriptionId} disabled after ${hours} hours of failures`);
    const admins = await this.organizations.adminEmails(organizationId);
    if (!admins.length) return;
    await this.mail.send({
      organizationId,
      to: admins,
      subject: `[webhook.disabled] Webhook to ${new URL(url).host} was disabled`,
      text:
        `Event: webhook.disabled\nSubscription: ${subscriptionId}\nURL: ${url}\n\n` +
        `Every delivery to this endpoint failed for ${hours} hours, so the hub stopped sending to it.\n` +
        `See the delivery log (GET /api/organizations/${organizationId}/webhooks/${subscriptionId}/deliveries), fix the receiver, ` +
        `then enable the subscription again (PATCH with {"enabled": true}) and retry the deliveries you need.\n\n` +
        `${this.config.siteUrl}\n`,
    });
  }
}

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read <= MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The status is what counts; a body cut short changes nothing.
  }
}

/** TypeORM's postgres driver answers UPDATE ... RETURNING with [rows, count]. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}
