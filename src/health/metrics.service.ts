import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import { JobQueue, QUEUE_NAMES } from '../queue/job-queue';

/** Prometheus metrics: request duration by route and status, queue depth, job outcomes. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
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

  /**
   * Children per route, method and status: label hashing once per combination, and no key string built per
   * request (route templates and methods are the same strings each time).
   */
  private readonly httpChildren = new Map<string, Map<string, Map<number, { observe(value: number): void }>>>();
  private httpChildCount = 0;

  constructor(private readonly queue: JobQueue) {
    const queue_ = this.queue;
    new Gauge({
      name: 'hub_queue_depth',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of QUEUE_NAMES) {
          const depth = await queue_.depth(name);
          for (const [state, value] of Object.entries(depth)) this.set({ queue: name, state }, value);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    let child = this.httpChildren.get(route)?.get(method)?.get(status);
    if (!child) {
      const labels: LabelValues<'method' | 'route' | 'status'> = { method, route, status: String(status) };
      child = this.httpDuration.labels(labels);
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

  onModuleInit(): void {
    this.queue.onOutcome = (queue, name, outcome) => this.jobOutcomes.inc({ queue, name, outcome });
  }
}
