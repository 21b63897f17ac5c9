import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { SnowflakeService } from '../common/snowflake.service';
import { JobQueue } from '../queue/job-queue';
import { WebhookEventType } from './events.enums';

export const DELIVER_JOB = 'deliver';

export interface DeliverJobData {
  deliveryIds: string[];
}

/** What a module records about a change: never credentials (the payload is sent to every subscriber). */
export interface HubEvent {
  type: WebhookEventType;
  organizationId: string;
  payload: Record<string, unknown>;
}

/** The JSON body every delivery of an event carries (Standard Webhooks' `{type, timestamp, data}`, plus id and organization). */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  organization_id: string;
  data: Record<string, unknown>;
}

/**
 * The transactional outbox. `record(manager, event)` writes the event and one delivery per matching enabled
 * subscription with the caller's EntityManager, so they commit or roll back with the change itself. The
 * deliveries are queued once that transaction commits; the sweeper catches any whose job never ran.
 */
@Injectable()
export class EventOutboxService implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(EventOutboxService.name);
  /** Deliveries waiting for their transaction's commit, per query runner. */
  private readonly awaitingCommit = new WeakMap<QueryRunner, DeliverJobData[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly snowflake: SnowflakeService,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Records an event in the caller's transaction; returns its id. Pass the transaction's manager, not the default one. */
  async record(manager: EntityManager, event: HubEvent, onlySubscriptionId?: string): Promise<string> {
    const id = `evt_${this.snowflake.next()}`;
    const now = new Date();
    const body: WebhookEventBody = { id, type: event.type, timestamp: now.toISOString(), organization_id: event.organizationId, data: event.payload };
    const rows: Array<{ id: string }> = await manager.query(
      `WITH subs AS (
         SELECT id FROM webhook_subscriptions
         WHERE organization_id = $2 AND enabled AND ($6::uuid IS NULL AND $3 = ANY(event_types) OR id = $6::uuid)
       ), ev AS (
         INSERT INTO webhook_events (id, organization_id, type, body, created_at)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM subs) RETURNING id
       )
       INSERT INTO webhook_deliveries (event_id, subscription_id, status, next_attempt_at, created_at)
       SELECT ev.id, subs.id, 'pending', $5, $5 FROM ev, subs RETURNING id`,
      [id, event.organizationId, event.type, JSON.stringify(body), now, onlySubscriptionId ?? null],
    );
    if (rows.length === 0) return id;
    const job = { deliveryIds: rows.map((r) => r.id) };
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      const list = this.awaitingCommit.get(runner) ?? [];
      list.push(job);
      this.awaitingCommit.set(runner, list);
    } else {
      await this.enqueue(id, job);
    }
    return id;
  }

  /** Queues deliveries (the initial attempt of an event, a retry, a replay, or one the sweeper found). */
  async enqueue(jobKey: string, job: DeliverJobData, delayMs = 0): Promise<void> {
    try {
      await this.queue.add<DeliverJobData>('events', DELIVER_JOB, job, { jobId: jobKey, attempts: 1, delayMs });
    } catch (err) {
      // The deliveries are stored: the sweeper queues them once the queue is reachable again.
      this.logger.warn(`deliveries of ${jobKey} stored but not queued: ${(err as Error).message}`);
    }
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    // A released savepoint is not a commit: wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive) return;
    const jobs = this.awaitingCommit.get(event.queryRunner);
    if (!jobs) return;
    this.awaitingCommit.delete(event.queryRunner);
    for (const job of jobs) await this.enqueue(`event-${job.deliveryIds[0]}`, job);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // Rolled back: the rows are gone. (After a savepoint rollback a job may still be queued; it finds nothing to send.)
    if (!event.queryRunner.isTransactionActive) this.awaitingCommit.delete(event.queryRunner);
  }
}
