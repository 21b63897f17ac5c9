import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../health/metrics.service';

export type DeliveryOutcome = 'succeeded' | 'retried' | 'failed';

/** Outgoing webhook metrics, in the hub's Prometheus registry (`GET /api/metrics`). */
@Injectable()
export class EventsMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly latency: Histogram<'outcome'>;
  readonly firstAttemptDelay: Histogram;

  constructor(metrics: MetricsService, @InjectDataSource() dataSource: DataSource) {
    const registers = [metrics.registry];
    this.attempts = new Counter({ name: 'hub_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'], registers });
    this.latency = new Histogram({
      name: 'hub_webhook_delivery_duration_seconds',
      help: 'Time from sending a webhook to its response (or failure), by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.firstAttemptDelay = new Histogram({
      name: 'hub_webhook_first_attempt_delay_seconds',
      help: 'Time from the change that caused an event to its first delivery attempt',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers,
    });
    new Gauge({
      name: 'hub_webhook_backlog',
      help: 'Webhook deliveries not finished yet, by status (pending: waiting for an attempt or a retry; sending: in flight)',
      labelNames: ['status'],
      registers,
      async collect() {
        const rows: Array<{ status: string; n: number }> = await dataSource.query(
          `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE status IN ('pending', 'sending') GROUP BY status`,
        );
        this.set({ status: 'pending' }, 0);
        this.set({ status: 'sending' }, 0);
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
  }

  observe(outcome: DeliveryOutcome, seconds: number): void {
    this.attempts.inc({ outcome });
    this.latency.observe({ outcome }, seconds);
  }
}
