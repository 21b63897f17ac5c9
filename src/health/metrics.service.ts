import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { CellCounter, CellHistogram, type HistogramCell } from './cell-histogram';
import { JobQueue, QUEUE_NAMES, QueueName } from '../queue/job-queue';

/** Outcome of one call to a provider's API: `ok` (2xx/3xx), `client_error` (4xx), `server_error` (5xx), `rate_limited` (429), `network` (no answer). */
export type ProviderCallOutcome = 'ok' | 'client_error' | 'server_error' | 'rate_limited' | 'network';

export function providerCallOutcome(status: number | undefined): ProviderCallOutcome {
  if (!status) return 'network';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return status >= 400 ? 'client_error' : 'ok';
}

/** One queue's health as the API sees it: its depth and how long its oldest runnable job has waited. */
export interface QueueHealth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Seconds the job at the head of the queue has waited for a worker (0: nothing waits). */
  oldest_waiting_seconds: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics of the process (instance-level, never per tenant): requests, queues, jobs, and the domain's
 * token mints, provider calls, GitHub rate limits, outboxes, authentication failures and scans.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  readonly httpDuration = new CellHistogram(
    'hub_http_request_duration_seconds',
    'HTTP request duration by route template, method and status',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    this.registry,
  );
  readonly jobOutcomes = new Counter({
    name: 'hub_jobs_total',
    help: 'Finished job attempts by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [this.registry],
  });
  readonly tokenRefreshes = new Counter({
    name: 'hub_token_refresh_total',
    help: 'OAuth token refresh attempts by provider and outcome (refreshed, retried, transient, refused)',
    labelNames: ['provider', 'outcome'],
    registers: [this.registry],
  });
  /** `hit`: served from the cache; `miss`: minted at GitHub; `error`: the mint failed. */
  readonly tokenMints = new CellCounter('hub_installation_token_mints_total', 'Installation token requests by cache result (hit, miss, error)', ['cache'], this.registry);
  readonly tokenMintUpstream = new Histogram({
    name: 'hub_installation_token_mint_upstream_seconds',
    help: "Duration of GitHub's POST /app/installations/{id}/access_tokens, by outcome",
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly providerCalls = new Histogram({
    name: 'hub_provider_request_duration_seconds',
    help: "Calls the hub makes to a provider's API (not proxied ones: hub_proxy_*), by provider and outcome",
    labelNames: ['provider', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly githubRateLimitRemaining = new Gauge({
    name: 'hub_github_rate_limit_remaining',
    help: 'x-ratelimit-remaining of the last GitHub answer per installation (app: the App JWT) and resource',
    labelNames: ['installation', 'resource'],
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'hub_auth_failures_total',
    help: 'Refused API-key authentications (missing, malformed, unknown, revoked or expired key) and metrics scrapes without the token',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly mailDeliveries = new Counter({
    name: 'hub_mail_deliveries_total',
    help: 'Outbox email delivery attempts by outcome (sent, failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly scanDuration = new Histogram({
    name: 'hub_scan_duration_seconds',
    help: 'Organization scans from start to end, by final status',
    labelNames: ['status'],
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  /**
   * Children per route, method and status: label hashing once per combination, and no key string built per
   * request (route templates and methods are the same strings each time).
   */
  private readonly httpChildren = new Map<string, Map<string, Map<number, HistogramCell>>>();
  private httpChildCount = 0;

  constructor(
    private readonly queue: JobQueue,
    @InjectDataSource() dataSource: DataSource,
  ) {
    const health = (name: QueueName) => this.queueHealth(name);
    new Gauge({
      name: 'hub_queue_depth',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of QUEUE_NAMES) {
          const h = await health(name).catch(() => null);
          if (!h) continue;
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue: name, state }, h[state]);
        }
      },
    });
    new Gauge({
      name: 'hub_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting for a worker, per queue (grows while every worker is down)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        for (const name of QUEUE_NAMES) {
          const since = await queue.oldestWaitingSince(name).catch(() => undefined);
          if (since !== undefined) this.set({ queue: name }, since === null ? 0 : Math.max(0, (Date.now() - since) / 1000));
        }
      },
    });
    new Gauge({
      name: 'hub_mail_outbox',
      help: 'Outbox emails not sent yet, by status (unsent: waiting for SMTP or a retry)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows: Array<{ status: string; n: number }> = await dataSource.query("SELECT status, count(*)::int AS n FROM outbox_emails WHERE status <> 'sent' GROUP BY status");
        this.reset();
        this.set({ status: 'unsent' }, 0);
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    let child = this.httpChildren.get(route)?.get(method)?.get(status);
    if (!child) {
      child = this.httpDuration.cell(method, route, String(status));
      if (this.httpChildCount < 10_000) {
        let byMethod = this.httpChildren.get(route);
        if (!byMethod) this.httpChildren.set(route, (byMethod = new Map()));
        let byStatus = byMethod.get(method);
        if (!byStatus) byMethod.set(method, (byStatus = new Map()));
        byStatus.set(status, child);
        this.httpChildCount++;
      }
    }
    child.observe(seconds);
  }

  /** One finished call to a provider's API (`status` undefined: no answer). */
  observeProviderCall(provider: string, status: number | undefined, seconds: number): void {
    this.providerCalls.observe({ provider, outcome: providerCallOutcome(status) }, seconds);
  }

  /** Depth and oldest waiting age of one queue (throws when the queue cannot be asked). */
  async queueHealth(name: QueueName): Promise<QueueHealth> {
    const [depth, since] = await Promise.all([this.queue.depth(name), this.queue.oldestWaitingSince(name)]);
    return { ...depth, oldest_waiting_seconds: since === null ? 0 : Math.max(0, Math.round((Date.now() - since) / 100) / 10) };
  }

  onModuleInit(): void {
    this.queue.onOutcome = (queue, name, outcome) => this.jobOutcomes.inc({ queue, name, outcome });
  }
}
