import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags, ApiSchema } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Authz, Public } from '../auth/authz.decorator';
import { ApiScope } from '../auth/roles';
import { JobQueue } from '../queue/job-queue';
import { MetricsService } from './metrics.service';
import { StoredSecretsCheck } from './stored-secrets-check';

@ApiSchema({ description: 'Liveness.' })
export class LivenessDto {
  @ApiProperty({ description: 'Always `ok`', example: 'ok' }) status: string;
}

@ApiSchema({ description: 'Readiness of the database and the queue.' })
export class ReadinessDto {
  @ApiProperty({ description: 'ok when every dependency answers', example: 'ok', enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ description: 'The database', example: 'ok', enum: ['ok', 'unavailable'] }) database: string;
  @ApiProperty({ description: 'The queue (Redis or the in-process runner)', example: 'ok', enum: ['ok', 'unavailable'] }) queue: string;
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly metrics: MetricsService,
    private readonly secrets: StoredSecretsCheck,
  ) {}

  @Get('healthz')
  @Public('Liveness probe')
  @ApiOperation({ description: 'Liveness probe: answers 200 as long as the process serves HTTP. It checks no dependency (see `/api/readyz`). Public; also served by worker processes.', summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({ description: 'The process is alive', type: LivenessDto })
  getHealth(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public('Readiness probe')
  @ApiOperation({ description: 'Readiness probe: 200 when the database and the queue answer, 503 (with which one failed) otherwise. Public.', summary: 'Readiness: the database and the queue answer' })
  @ApiOkResponse({ description: 'The database and the queue answer', type: ReadinessDto })
  @ApiServiceUnavailableResponse({ description: 'The database or the queue does not answer (named in the body)', type: ReadinessDto })
  async getReadiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const [database, queue] = await Promise.all([
      this.dataSource.query('SELECT 1').then(() => 'ok', () => 'unavailable'),
      withTimeout(this.queue.ping(), 2000).then((ok) => (ok ? 'ok' : 'unavailable'), () => 'unavailable'),
    ]);
    const body: ReadinessDto = { status: database === 'ok' && queue === 'ok' && !this.secrets.problem ? 'ok' : 'unavailable', database, queue };
    if (this.secrets.problem) {
      body.secrets = 'unreadable';
      body.detail = this.secrets.problem;
    }
    if (body.status !== 'ok') void reply.status(503);
    return body;
  }

  @Get('metrics')
  @Authz({ scope: ApiScope.OrganizationRead })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ description: 'Prometheus metrics of this process (requests, queue, outbound calls, ...), in the text exposition format. Also served by worker processes.', summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  getMetrics(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
