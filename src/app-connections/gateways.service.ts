import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { gatewayNotFound } from './app-connections.errors';
import { parseGateways } from './gateway-settings';

/** The gateways configured on this hub; parsed when the module boots so a bad value stops start-up. */
@Injectable()
export class GatewaysService {
  private readonly gateways: ReadonlyMap<string, string>;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.gateways = parseGateways(config.gateways);
  }

  /** The proxy URL of a gateway; 404 when the hub has no such gateway. */
  proxyUrl(gatewayId: string): string {
    const url = this.gateways.get(gatewayId.toLowerCase());
    if (!url) throw gatewayNotFound(gatewayId);
    return url;
  }
}
