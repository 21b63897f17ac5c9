import { Inject, Injectable, Logger } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { invalidDomain } from './domain-connect.errors';

export interface DnsProvider {
  endpoint: string;
  name: string;
}

/** What a DNS provider's Domain Connect settings say, once the provider is known to support the sync flow. */
export interface ProviderSettings {
  endpoint: string;
  providerName: string;
  urlSyncUX: string;
  urlAPI: string;
}

export type Discovery = { supported: true; settings: ProviderSettings } | { supported: false; providerName: string | null };

export interface SplitDomain {
  /** Zone apex (registrable domain), ASCII. */
  apex: string;
  /** Labels left of the apex; '' at the apex. */
  host: string;
}

/** Hits and definitive misses are cached this long; timeouts and 5xx never. */
export const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** Not cached: the next request tries again. */
class TransientMiss extends Error {}

const normalizeEndpoint = (value: string) => value.trim().replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase();

/**
 * Finds a domain's DNS provider through `_domainconnect.<apex>` TXT, accepts only allow-listed providers and
 * reads their settings over verified TLS (outbound guard included). Results are cached in memory per replica.
 */
@Injectable()
export class DomainConnectDiscoveryService {
  private readonly logger = new Logger(DomainConnectDiscoveryService.name);
  private readonly resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  private readonly cache = new Map<string, { value: Discovery; expiresAt: number }>();
  readonly providers: DnsProvider[];

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    private readonly outbound: OutboundHttpService,
  ) {
    if (config.dnsServers.length) this.resolver.setServers(config.dnsServers);
    this.providers = (JSON.parse(config.domainConnect.providers) as DnsProvider[]).map((p) => ({ endpoint: normalizeEndpoint(p.endpoint), name: p.name }));
  }

  /** Splits a (possibly internationalized) host name into its zone apex and host with the Public Suffix List. */
  split(domain: string): SplitDomain {
    const ascii = domainToASCII(domain.trim().replace(/\.$/, '').toLowerCase());
    const parsed = ascii ? parseDomain(ascii) : null;
    if (!parsed?.domain || parsed.isIp || !parsed.isIcann) throw invalidDomain();
    return { apex: parsed.domain, host: parsed.subdomain ?? '' };
  }

  providerFor(endpoint: string): DnsProvider | undefined {
    const wanted = normalizeEndpoint(endpoint);
    return this.providers.find((p) => p.endpoint === wanted);
  }

  /** Discovers the apex's provider from DNS. */
  discover(apex: string): Promise<Discovery> {
    return this.cached(`dns:${apex}`, async () => {
      const endpoint = await this.lookupEndpoint(apex);
      if (!endpoint) return { supported: false, providerName: null };
      const provider = this.providerFor(endpoint);
      if (!provider) {
        this.logger.log(`_domainconnect.${apex} points at ${endpoint}, which is not on the allow-list`);
        return { supported: false, providerName: null };
      }
      return this.readSettings(apex, provider);
    });
  }

  /** Uses a provider the caller picked (from `available_providers`) instead of DNS. */
  withProvider(apex: string, provider: DnsProvider): Promise<Discovery> {
    return this.cached(`manual:${provider.endpoint}:${apex}`, () => this.readSettings(apex, provider));
  }

  private async cached(key: string, load: () => Promise<Discovery>): Promise<Discovery> {
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    try {
      const value = await load();
      this.cache.set(key, { value, expiresAt: Date.now() + DISCOVERY_TTL_MS });
      return value;
    } catch (err) {
      if (!(err instanceof TransientMiss)) throw err;
      this.logger.warn(`Domain Connect discovery (${key}) failed, not cached: ${err.message}`);
      return { supported: false, providerName: null };
    }
  }

  private async lookupEndpoint(apex: string): Promise<string | null> {
    try {
      const records = await this.resolver.resolveTxt(`_domainconnect.${apex}`);
      const value = records.map((chunks) => chunks.join('')).find((v) => v.trim());
      return value ? normalizeEndpoint(value) : null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === dns.NOTFOUND || code === dns.NODATA) return null;
      throw new TransientMiss(`TXT _domainconnect.${apex}: ${code ?? (err as Error).message}`);
    }
  }

  private async readSettings(apex: string, provider: DnsProvider): Promise<Discovery> {
    const url = `https://${provider.endpoint}/v2/${apex}/settings`;
    let res;
    try {
      await this.outbound.assertPublicHost(new URL(url).hostname);
      res = await this.outbound.request(url, { timeoutMs: 5000, attempts: 2, maxWaitMs: 2000, headers: { accept: 'application/json' } });
    } catch (err) {
      throw new TransientMiss(`${url}: ${(err as Error).message}`);
    }
    if (res.status >= 500 || res.status === 429) {
      await res.body?.cancel();
      throw new TransientMiss(`${url}: HTTP ${res.status}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      return { supported: false, providerName: provider.name };
    }
    const body = (await res.json().catch(() => null)) as { urlSyncUX?: unknown; urlAPI?: unknown; providerDisplayName?: unknown } | null;
    const urlSyncUX = typeof body?.urlSyncUX === 'string' && /^https:\/\//i.test(body.urlSyncUX) ? body.urlSyncUX : null;
    if (!urlSyncUX) return { supported: false, providerName: provider.name };
    const urlAPI = typeof body?.urlAPI === 'string' && /^https:\/\//i.test(body.urlAPI) ? body.urlAPI : `https://${provider.endpoint}`;
    return { supported: true, settings: { endpoint: provider.endpoint, providerName: provider.name, urlSyncUX, urlAPI } };
  }
}
