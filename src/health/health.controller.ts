import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Authz, Public } from '../auth/authz.decorator';
import { ApiScope } from '../auth/roles';
import { JobQueue } from '../queue/job-queue';
import { MetricsService } from './metrics.service';
import { StoredSecretsCheck } from './stored-secrets-check';

export class LivenessDto {
  @ApiProperty({ example: 'ok' }) status: string;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) database: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) queue: string;
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
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({ type: LivenessDto })
  getHealth(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public('Readiness probe')
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: the database and the queue answer' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
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
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  getMetrics(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
