import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../../config/config.module';
import type { HubConfig } from '../../config/hub-config';
import { MetricsService } from '../../health/metrics.service';
import { IntegrationsService } from '../integrations.service';
import { ProviderHttp } from './provider-http.service';
import { ProviderRegistry } from './provider-registry.service';

/** What every adapter needs, injected once so adapter constructors stay one line. */
@Injectable()
export class ProviderDeps {
  constructor(
    readonly registry: ProviderRegistry,
    readonly integrations: IntegrationsService,
    readonly http: ProviderHttp,
    @Inject(HUB_CONFIG) readonly config: HubConfig,
    readonly metrics: MetricsService,
  ) {}
}
