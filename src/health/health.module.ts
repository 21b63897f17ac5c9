import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsService } from './metrics.service';
import { StoredSecretsCheck } from './stored-secrets-check';

@Global()
@Module({ controllers: [HealthController], providers: [MetricsService, StoredSecretsCheck], exports: [MetricsService, StoredSecretsCheck] })
export class HealthModule {}
