import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { MoreThan, Repository } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { JobQueue } from '../queue/job-queue';
import { KeyRing, SealContext } from '../common/sealed-secrets';
import { randomUUID } from 'node:crypto';
import { OutboxEmailEntity, OutboxStatus } from './outbox-email.entity';
import { sealContextOf } from '../common/sealed-column';
import { MetricsService } from '../health/metrics.service';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  replyTo?: string;
  dedupeKey?: string;
  /** The organization the mail is sent for (its admins see it in the outbox API). */
  organizationId?: string;
  /** `<kind>:<id>` of what the mail is about; a relevance check registered for `<kind>` runs before delivery. */
  about?: string;
}

/** Why a mail about `id` is no longer worth sending (e.g. 'invite accepted'), or null while it is. */
export type RelevanceCheck = (id: string) => Promise<string | null>;

const DELIVER_JOB = 'deliver';
const SWEEP_BATCH = 100;

const deliveryJobId = (rowId: string, generation: number) => `email-${rowId}-${generation}`;

/**
 * Writes mail to the outbox and delivers it from a queue job with retries and backoff. When a job has used
 * all its attempts (a long SMTP outage), a periodic sweeper queues the row again under the next generation,
 * so mail is delayed, never lost; a row is marked sent once and never delivered again.
 */
@Injectable()
export class MailService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MailService.name);
  private transport: Transporter | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly relevance = new Map<string, RelevanceCheck>();

  constructor(
    @InjectRepository(OutboxEmailEntity) private readonly outbox: Repository<OutboxEmailEntity>,
    private readonly queue: JobQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly keyRing: KeyRing,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (this.config.smtpUrl) this.transport = createTransport(this.config.smtpUrl);
    this.queue.process<{ id: string }>('email', DELIVER_JOB, (job) => this.deliver(job.data.id), 2);
    if (this.transport && this.config.role !== 'api') {
      this.sweeper = setInterval(() => void this.sweep().catch((err: Error) => this.logger.warn(`outbox sweep failed: ${err.message}`)),
        this.config.mail.sweepIntervalSeconds * 1000);
      this.sweeper.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.transport?.close();
  }

  /** Modules that mail about their objects say how to tell a stale mail (checked at send time, not at queue time). */
  registerRelevance(kind: string, check: RelevanceCheck): void {
    this.relevance.set(kind, check);
  }

  /** Why the row's mail should no longer go out, or null. */
  private async staleReason(row: OutboxEmailEntity): Promise<string | null> {
    if (!row.about) return null;
    const colon = row.about.indexOf(':');
    const check = this.relevance.get(row.about.slice(0, colon));
    return check ? check(row.about.slice(colon + 1)) : null;
  }

  get smtpConfigured(): boolean {
    return this.transport !== null;
  }

  /** Stores the message; queues delivery when SMTP is configured. Never throws for delivery problems. */
  async send(email: OutgoingEmail): Promise<OutboxEmailEntity> {
    const row = await this.outbox.save(this.toRow(email));
    await this.enqueue(row);
    return row;
  }

  /**
   * Like `send`, unless a message with the same dedupe key was stored within the window: then nothing is
   * stored and null is returned. An advisory lock on the key makes concurrent callers agree.
   */
  async sendOnce(email: OutgoingEmail & { dedupeKey: string }, windowMs: number): Promise<OutboxEmailEntity | null> {
    const row = await this.outbox.manager.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [email.dedupeKey]);
      const repo = tx.getRepository(OutboxEmailEntity);
      const recent = await repo.exists({ where: { dedupeKey: email.dedupeKey, createdAt: MoreThan(new Date(Date.now() - windowMs)) } });
      return recent ? null : repo.save(this.toRow(email));
    });
    if (row) await this.enqueue(row);
    return row;
  }

  /** Queues again every unsent row whose delivery job is gone or has failed for good. */
  async sweep(): Promise<number> {
    if (!this.transport) return 0;
    const rows = await this.outbox.find({ where: { status: OutboxStatus.Unsent }, order: { createdAt: 'ASC' }, take: SWEEP_BATCH });
    let requeued = 0;
    for (const row of rows) {
      if (row.deliveryGeneration > 0) {
        const job = await this.queue.getJob('email', deliveryJobId(row.id, row.deliveryGeneration));
        if (job && job.state !== 'failed') continue;
      }
      // Only the replica that bumps the generation queues the job (and Bull dedupes by job id anyway).
      const bumped = await this.outbox.update(
        { id: row.id, deliveryGeneration: row.deliveryGeneration, status: OutboxStatus.Unsent },
        { deliveryGeneration: row.deliveryGeneration + 1 },
      );
      if (!bumped.affected) continue;
      await this.addJob(row.id, row.deliveryGeneration + 1);
      requeued++;
    }
    return requeued;
  }

  /** An organization's outbox, newest first: addresses, subject, status and attempts; bodies stay sealed and are never returned. */
  async listForOrganization(organizationId: string, opts: { status?: OutboxStatus; limit: number; offset: number }): Promise<{ count: number; rows: OutboxEmailEntity[] }> {
    const [rows, count] = await this.outbox.findAndCount({
      where: { organizationId, ...(opts.status ? { status: opts.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: opts.limit,
      skip: opts.offset,
      select: { id: true, to: true, subject: true, status: true, attempts: true, lastError: true, sentAt: true, createdAt: true, about: true, organizationId: true },
    });
    return { count, rows };
  }

  async findForOrganization(organizationId: string, id: string): Promise<OutboxEmailEntity | null> {
    return this.outbox.findOne({
      where: { id, organizationId },
      select: { id: true, to: true, subject: true, status: true, attempts: true, lastError: true, sentAt: true, createdAt: true, about: true, organizationId: true, deliveryGeneration: true },
    });
  }

  /** Queues an unsent (or discarded) mail again now, under a new delivery generation; false when it was sent already. */
  async retry(row: OutboxEmailEntity): Promise<boolean> {
    const generation = row.deliveryGeneration + 1;
    const updated = await this.outbox
      .createQueryBuilder()
      .update(OutboxEmailEntity)
      .set({ status: OutboxStatus.Unsent, deliveryGeneration: generation, lastError: null })
      .where('id = :id AND status <> :sent', { id: row.id, sent: OutboxStatus.Sent })
      .execute();
    if (!updated.affected) return false;
    if (this.transport) await this.addJob(row.id, generation);
    return true;
  }

  /** Marks an unsent mail as never to be sent; false when it was sent already. */
  async discard(row: OutboxEmailEntity, reason: string): Promise<boolean> {
    const updated = await this.outbox.update({ id: row.id, status: OutboxStatus.Unsent }, { status: OutboxStatus.Discarded, lastError: reason });
    return Boolean(updated.affected);
  }

  private toRow(email: OutgoingEmail): OutboxEmailEntity {
    const id = randomUUID();
    return this.outbox.create({
      id,
      to: email.to,
      subject: email.subject,
      // Bodies can carry one-time tokens (invitations): sealed at rest like every other secret.
      text: this.keyRing.seal(email.text, outboxBodySealContext(id)),
      replyTo: email.replyTo ?? null,
      dedupeKey: email.dedupeKey ?? null,
      organizationId: email.organizationId ?? null,
      about: email.about ?? null,
      status: OutboxStatus.Unsent,
      deliveryGeneration: this.transport ? 1 : 0,
    });
  }

  private async enqueue(row: OutboxEmailEntity): Promise<void> {
    if (!this.transport) return;
    try {
      await this.addJob(row.id, row.deliveryGeneration);
    } catch (err) {
      // The row is stored; the sweeper queues it once the queue is reachable again.
      this.logger.warn(`email ${row.id} stored but not queued: ${(err as Error).message}`);
    }
  }

  private addJob(rowId: string, generation: number): Promise<string> {
    const { deliveryAttempts, retryBackoffMs } = this.config.mail;
    return this.queue.add('email', DELIVER_JOB, { id: rowId }, { jobId: deliveryJobId(rowId, generation), attempts: deliveryAttempts, backoffMs: retryBackoffMs });
  }

  private async deliver(id: string): Promise<void> {
    const row = await this.outbox.findOne({ where: { id } });
    if (!row || row.status !== OutboxStatus.Unsent) return;
    if (!this.transport) {
      // An API replica with SMTP_URL queued this; completing it here would drop the email without a word.
      const message = 'SMTP_URL is not set in this worker process, but API replicas queue email for delivery: set SMTP_URL on the workers too';
      await this.outbox.update({ id, status: OutboxStatus.Unsent }, { lastError: message });
      this.logger.error(message);
      throw new Error(message);
    }
    const stale = await this.staleReason(row);
    if (stale) {
      await this.outbox.update({ id, status: OutboxStatus.Unsent }, { status: OutboxStatus.Discarded, lastError: `not sent: ${stale}` });
      this.logger.log(`email ${id} not sent: ${stale}`);
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.config.emailFrom,
        to: row.to,
        replyTo: row.replyTo ?? undefined,
        subject: row.subject,
        text: this.keyRing.open(row.text, outboxBodySealContext(row.id)),
        messageId: `<${row.id}@integrations-hub>`,
      });
      await this.outbox.update({ id, status: OutboxStatus.Unsent }, { status: OutboxStatus.Sent, sentAt: new Date(), attempts: row.attempts + 1, lastError: null });
      this.metrics.mailDeliveries.inc({ outcome: 'sent' });
    } catch (err) {
      const message = (err as Error).message;
      // Only while it is still unsent: an email an admin discarded during the attempt keeps its status and reason.
      await this.outbox.update({ id, status: OutboxStatus.Unsent }, { attempts: row.attempts + 1, lastError: message.slice(0, 1000) });
      this.metrics.mailDeliveries.inc({ outcome: 'failed' });
      this.logger.warn(`email ${id} not delivered (attempt ${row.attempts + 1}): ${message}`);
      throw err;
    }
  }
}

export function outboxBodySealContext(id: string): SealContext {
  return sealContextOf(OutboxEmailEntity, 'text', id);
}
