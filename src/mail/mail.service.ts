import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { Repository } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { JobQueue } from '../queue/job-queue';
import { OutboxEmailEntity, OutboxStatus } from './outbox-email.entity';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  replyTo?: string;
  dedupeKey?: string;
}

const DELIVER_JOB = 'deliver';

/** Writes mail to the outbox and delivers it from a queue job with retries and backoff. */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);
  private transport: Transporter | null = null;

  constructor(
    @InjectRepository(OutboxEmailEntity) private readonly outbox: Repository<OutboxEmailEntity>,
    private readonly queue: JobQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.smtpUrl) this.transport = createTransport(this.config.smtpUrl);
    this.queue.process<{ id: string }>('email', DELIVER_JOB, (job) => this.deliver(job.data.id), 2);
  }

  get smtpConfigured(): boolean {
    return this.transport !== null;
  }

  /** Stores the message; queues delivery when SMTP is configured. Never throws for delivery problems. */
  async send(email: OutgoingEmail): Promise<OutboxEmailEntity> {
    const row = await this.outbox.save(
      this.outbox.create({
        to: email.to,
        subject: email.subject,
        text: email.text,
        replyTo: email.replyTo ?? null,
        dedupeKey: email.dedupeKey ?? null,
        status: OutboxStatus.Unsent,
      }),
    );
    if (this.transport) {
      await this.queue.add('email', DELIVER_JOB, { id: row.id }, { jobId: `email-${row.id}`, attempts: 8, backoffMs: 1000 });
    }
    return row;
  }

  private async deliver(id: string): Promise<void> {
    const row = await this.outbox.findOne({ where: { id } });
    if (!row || row.status === OutboxStatus.Sent || !this.transport) return;
    try {
      await this.transport.sendMail({
        from: this.config.emailFrom,
        to: row.to,
        replyTo: row.replyTo ?? undefined,
        subject: row.subject,
        text: row.text,
        messageId: `<${row.id}@integrations-hub>`,
      });
      await this.outbox.update({ id }, { status: OutboxStatus.Sent, sentAt: new Date(), attempts: row.attempts + 1, lastError: null });
    } catch (err) {
      const message = (err as Error).message;
      await this.outbox.update({ id }, { attempts: row.attempts + 1, lastError: message.slice(0, 1000) });
      this.logger.warn(`email ${id} not delivered (attempt ${row.attempts + 1}): ${message}`);
      throw err;
    }
  }
}
