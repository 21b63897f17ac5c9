import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { gatewayNotFound } from './app-connections.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses GATEWAYS (JSON object: gateway uuid -> http(s) proxy URL); throws naming the variable when invalid. */
export function parseGateways(text: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('GATEWAYS: must be a JSON object of gateway id -> HTTP proxy URL');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('GATEWAYS: must be a JSON object of gateway id -> HTTP proxy URL');
  const gateways = new Map<string, string>();
  for (const [id, url] of Object.entries(parsed as Record<string, unknown>)) {
    if (!UUID.test(id)) throw new Error(`GATEWAYS: gateway id '${id}' must be a uuid`);
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+\/?$/.test(url)) throw new Error(`GATEWAYS: gateway '${id}' must map to an http(s)://host:port proxy URL`);
    gateways.set(id.toLowerCase(), url);
  }
  return gateways;
}

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
