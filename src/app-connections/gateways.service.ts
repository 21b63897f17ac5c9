import { Inject, Injectable } from '@nestjs/common';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
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
    if (!url) throw new HubError(404, 'GATEWAY_NOT_FOUND', `Could not find Gateway with ID ${gatewayId}`);
    return url;
  }
}
