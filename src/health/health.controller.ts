import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiSchema, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/authz.decorator';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { JobQueue, QUEUE_NAMES, QueueName } from '../queue/job-queue';
import { MetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';
import { StoredSecretsCheck } from './stored-secrets-check';

/** The OpenAPI security scheme of `/api/metrics`: the instance's METRICS_TOKEN. */
export const METRICS_TOKEN_SCHEME = 'metrics_token';

@ApiSchema({ description: 'Liveness.' })
export class LivenessDto {
  @ApiProperty({ example: 'ok', description: 'Always `ok` while the process serves requests' }) status: string;
}

@ApiSchema({ description: 'One queue: its depth by state and the age of its oldest waiting job.' })
export class QueueHealthDto {
  @ApiProperty({ example: 0, description: 'Jobs waiting for a worker' }) waiting: number;
  @ApiProperty({ example: 0, description: 'Jobs a worker is running' }) active: number;
  @ApiProperty({ example: 0, description: 'Jobs scheduled for later (delays and retry backoff)' }) delayed: number;
  @ApiProperty({ example: 0, description: 'Jobs that used up their attempts (kept for inspection)' }) failed: number;
  @ApiProperty({
    example: 0,
    description: 'Seconds the oldest waiting job has waited for a worker (0: none waits); it grows while every worker is down',
  })
  oldest_waiting_seconds: number;
}

@ApiSchema({ description: 'Health of every queue, by name.' })
export class QueuesHealthDto {
  @ApiProperty({ type: QueueHealthDto, description: 'Outbox email deliveries' }) email: QueueHealthDto;
  @ApiProperty({ type: QueueHealthDto, description: 'Integration syncs and token refreshes' }) integrations: QueueHealthDto;
  @ApiProperty({ type: QueueHealthDto, description: 'Incoming GitHub webhooks (installation suspended or deleted, ...)' }) webhooks: QueueHealthDto;
  @ApiProperty({ type: QueueHealthDto, description: 'Organization scans' }) scan: QueueHealthDto;
  @ApiProperty({ type: QueueHealthDto, description: 'Outgoing webhook (event) deliveries' }) events: QueueHealthDto;
}

@ApiSchema({ description: 'Readiness of the database and the queue.' })
export class ReadinessDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'], description: '`ok` when the database and the queue answer' }) status: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'], description: 'Whether the database answers' }) database: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'], description: 'Whether the queue (Redis, or the in-process runner) answers' }) queue: string;
  @ApiProperty({
    type: QueuesHealthDto,
    required: false,
    description: 'Depth and oldest waiting age per queue (absent when the queue does not answer); a backlog does not fail readiness, alert on it from the metrics',
  })
  queues?: QueuesHealthDto;
  @ApiPropertyOptional({
    example: 'unreadable',
    enum: ['unreadable'],
    description: 'Present when stored secrets cannot be opened with the configured encryption keys (checked at start-up)',
  })
  secrets?: string;
  @ApiPropertyOptional({ description: 'What is wrong, when something is: which stored secrets cannot be opened' }) detail?: string;
}

@ApiTags('health')
@Controller()
export class HealthController {
  private readonly metricsAccess: MetricsAccess;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly metrics: MetricsService,
    private readonly secrets: StoredSecretsCheck,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.metricsAccess = new MetricsAccess(config.metrics);
  }

  @Get('healthz')
  @Public('Liveness probe')
  @ApiOperation({ summary: 'Liveness: the process serves requests', description: 'Liveness probe: answers 200 as long as the process serves HTTP. It checks no dependency (see `/api/readyz`). Public; also served by worker processes.' })
  @ApiOkResponse({ type: LivenessDto, description: 'The process is alive' })
  getHealth(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public('Readiness probe')
  @ApiOperation({
    summary: 'Readiness: the database and the queue answer',
    description: 'Checks the database and the queue, and reports each queue\'s depth and the age of its oldest waiting job.',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'The database and the queue answer' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'The database or the queue does not answer' })
  async getReadiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const [database, queues] = await Promise.all([
      this.dataSource.query('SELECT 1').then(() => 'ok', () => 'unavailable'),
      withTimeout(this.queueDetail(), 2000).catch(() => null),
    ]);
    const queue = queues ? 'ok' : 'unavailable';
    const body: ReadinessDto = { status: database === 'ok' && queue === 'ok' && !this.secrets.problem ? 'ok' : 'unavailable', database, queue };
    if (queues) body.queues = queues;
    if (this.secrets.problem) {
      body.secrets = 'unreadable';
      body.detail = this.secrets.problem;
    }
    if (body.status !== 'ok') void reply.status(503);
    return body;
  }

  @Get('metrics')
  @Public('Instance metrics: authenticated by METRICS_TOKEN, never by an API key')
  @ApiBearerAuth(METRICS_TOKEN_SCHEME)
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Instance-level Prometheus metrics of this process. Requires `Authorization: Bearer <METRICS_TOKEN>`; answers 404 when METRICS_TOKEN is unset (METRICS_PORT serves them on loopback instead).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong metrics token (an API key is never accepted)', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'METRICS_TOKEN is not set on this instance', type: ErrorBodyDto })
  getMetrics(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    try {
      this.metricsAccess.check(request.headers.authorization);
    } catch (err) {
      if ((err as { status?: number }).status === 401) this.metrics.authFailures.inc({ reason: 'metrics_token' });
      throw err;
    }
    // Set here, not by @Header: a refusal above is a JSON error body.
    void reply.header('content-type', 'text/plain; version=0.0.4');
    return this.metrics.registry.metrics();
  }

  /** Every queue's health, or a rejection when the queue does not answer (the ping of readiness). */
  private async queueDetail(): Promise<QueuesHealthDto> {
    if (!(await this.queue.ping())) throw new Error('queue unavailable');
    const entries = await Promise.all(QUEUE_NAMES.map(async (name: QueueName) => [name, await this.metrics.queueHealth(name)] as const));
    return Object.fromEntries(entries) as unknown as QueuesHealthDto;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
