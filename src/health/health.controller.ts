import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Authz, Public } from '../auth/authz.decorator';
import { ApiScope } from '../auth/roles';
import { JobQueue } from '../queue/job-queue';
import { MetricsService } from './metrics.service';

export class LivenessDto {
  @ApiProperty({ example: 'ok' }) status: string;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) database: string;
  @ApiProperty({ example: 'ok', enum: ['ok', 'unavailable'] }) queue: string;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @Public('Liveness probe')
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({ type: LivenessDto })
  getHealth(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public('Readiness probe')
  @ApiOperation({ summary: 'Readiness: the database and the queue answer' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  async getReadiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const [database, queue] = await Promise.all([
      this.dataSource.query('SELECT 1').then(() => 'ok', () => 'unavailable'),
      withTimeout(this.queue.ping(), 2000).then((ok) => (ok ? 'ok' : 'unavailable'), () => 'unavailable'),
    ]);
    const body = { status: database === 'ok' && queue === 'ok' ? 'ok' : 'unavailable', database, queue };
    if (body.status !== 'ok') void reply.status(503);
    return body;
  }

  @Get('metrics')
  @Authz({ scope: ApiScope.OrganizationRead })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  getMetrics(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
