import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Counter, Histogram } from 'prom-client';
import type { Dispatcher } from 'undici';
import { AppConnectionsService } from '../app-connections/app-connections.service';
import { GatewaysService } from '../app-connections/gateways.service';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { upstreamUnreachable } from '../common/common.errors';
import { HubError } from '../common/hub-error';
import { findBlocked, OutboundHttpService, retryDelayMs } from '../common/outbound/outbound-http.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { MetricsService } from '../health/metrics.service';
import type { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationProvider, IntegrationStatus } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import type { ProxyTarget } from '../integrations/providers/provider-adapter';
import { ProviderRegistry } from '../integrations/providers/provider-registry.service';
import { integrationNotFound } from '../integrations/integrations.errors';
import { ProxyIntegrationCache } from './proxy-integration-cache';
import { ProxyLimiter } from './proxy-limiter';
import {
  forwardedRequestHeaders,
  githubNarrowing,
  SplitUrl,
  pathTemplate,
  retriesFor,
  returnedResponseHeaders,
  rewriteLocation,
  splitProxyUrl,
  targetUrl,
} from './proxy-request';
import {
  proxyDestinationRefused,
  proxyHeaderInvalid,
  proxyIntegrationDisconnected,
  proxyNotSupported,
  proxyBodyIncomplete,
  proxyUpstreamTimeout,
} from './proxy.errors';

/** Request bodies up to this size are held in memory so a 401 refresh or a 429/5xx retry can send them again; larger ones stream, once. */
export const REPLAYABLE_BODY_BYTES = 256 * 1024;

export interface ProxiedCall {
  method: string;
  /** The request URL as received (`/api/proxy/{integration_id}/...?...`), percent-encoding intact. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  /** The unread request body. */
  body: Readable;
  requestId: string;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The provider's body, unread: the caller streams it on. */
  body: Readable;
}

interface Loaded {
  row: IntegrationEntity;
  cached: boolean;
  /** The version the row was loaded under; undefined when Redis could not say. */
  version: string | undefined;
}

interface Prepared {
  split: SplitUrl;
  allowedRetries: number;
  proxyUrl: string | undefined;
  target: ProxyTarget;
  url: URL;
}

interface Outcome {
  response: Dispatcher.ResponseData;
  retries: number;
  refreshed: boolean;
}

/**
 * Forwards a caller's request to its integration's provider: the destination and the credential come from the
 * provider adapter's proxy target, bodies stream both ways, a 401 gets one refresh and one retry, 429/5xx are retried
 * as the caller allows (X-Hub-Retries) within PROXY_MAX_RETRY_WAIT_SECONDS, and each call is limited, logged, counted
 * and (writes) audited.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger('ProviderProxy');
  private readonly calls: Counter<'provider' | 'method' | 'status'>;
  private readonly retries: Counter<'provider' | 'reason'>;
  private readonly duration: Histogram<'provider' | 'method'>;
  private readonly loading = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly registry: ProviderRegistry,
    private readonly outbound: OutboundHttpService,
    private readonly limiter: ProxyLimiter,
    private readonly cache: ProxyIntegrationCache,
    private readonly audit: AuditService,
    private readonly connections: AppConnectionsService,
    private readonly gateways: GatewaysService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    metrics: MetricsService,
  ) {
    const registers = [metrics.registry];
    this.calls = new Counter({ name: 'hub_proxy_requests_total', help: 'Proxied provider calls by provider, method and final status', labelNames: ['provider', 'method', 'status'], registers });
    this.retries = new Counter({ name: 'hub_proxy_retries_total', help: 'Proxied calls sent again, by provider and reason (refresh after 401, retry after 429/5xx)', labelNames: ['provider', 'reason'], registers });
    this.duration = new Histogram({
      name: 'hub_proxy_upstream_duration_seconds',
      help: 'Time from the proxied request to the provider response headers, retries included',
      labelNames: ['provider', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers,
    });
  }

  async forward(principal: OrgPrincipal, integrationId: string, call: ProxiedCall): Promise<ProxiedResponse> {
    let loaded = await this.load(principal.organizationId, integrationId);
    let prepared: Prepared;
    try {
      prepared = await this.prepare(principal, loaded.row, call);
    } catch (err) {
      // A refusal for the row's state (disconnected, in error: 409) is never decided by a cached row, which may
      // predate a reconnect elsewhere: read it and decide again. Other failures (a GitHub mint) are not tried twice.
      if (!loaded.cached || !(err instanceof HubError) || err.status !== 409) throw err;
      this.cache.forget(integrationId);
      loaded = await this.load(principal.organizationId, integrationId);
      prepared = await this.prepare(principal, loaded.row, call);
    }
    // The limits and the integration's current version in one Redis round trip; a row that is no longer current is read again.
    const acquired = await this.limiter.acquireVersioned(loaded.row.id);
    const slot = acquired.release;
    let integration = loaded.row;
    let outcome: Outcome;
    let started: number;
    try {
      if (this.mustReload(loaded, acquired.version)) {
        this.cache.forget(integrationId);
        integration = await this.integrations.findInOrganization(principal.organizationId, integrationId);
        prepared = await this.prepare(principal, integration, call);
        this.cache.set(integration, acquired.version);
      } else if (!loaded.cached) {
        this.cache.set(integration, acquired.version);
      }
      started = performance.now();
      const body = await this.requestBody(call);
      outcome = await this.send(integration, prepared.target, prepared.url, call, body, prepared.allowedRetries, this.outbound.dispatcher(prepared.proxyUrl));
    } catch (err) {
      slot();
      throw err;
    }
    const { url, target, split } = prepared;
    const { response, retries, refreshed } = outcome;
    const seconds = (performance.now() - started) / 1000;
    this.duration.labels(integration.provider, call.method).observe(seconds);
    this.calls.labels(integration.provider, call.method, String(response.statusCode)).inc();
    if (call.method !== 'GET' && call.method !== 'HEAD') {
      try {
        await this.audit.record(principal, { action: `integration.proxy_${call.method.toLowerCase()}`, target: `integration:${integration.id}`, requestId: call.requestId });
      } catch (err) {
        // The write reached the provider: its answer still goes back (hiding it would invite a duplicate write); the gap is logged.
        this.logger.error({ msg: 'proxied write not audited', requestId: call.requestId, integrationId: integration.id, error: (err as Error).message });
      }
    }
    const path = pathTemplate(split.path);
    let logged = false;
    const finished = (how: 'complete' | 'aborted') => {
      slot();
      if (logged) return;
      logged = true;
      this.logger.log({
        msg: 'proxied call',
        requestId: call.requestId,
        integrationId: integration.id,
        provider: integration.provider,
        method: call.method,
        path,
        status: response.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        retries,
        refreshed,
        body: how,
      });
    };
    response.body.once('end', () => finished('complete'));
    response.body.once('error', () => finished('aborted'));
    response.body.once('close', () => finished(response.body.readableEnded ? 'complete' : 'aborted'));
    return { status: response.statusCode, headers: this.responseHeaders(response, url, target.baseUrl, split.prefix), body: response.body };
  }

  /** The row from this process's cache, else from the database (with the version read before it). */
  private async load(organizationId: string, integrationId: string): Promise<Loaded> {
    const hit = this.cache.get(integrationId);
    // Another organization's integration is the same 404 as an unknown one, cached or not.
    if (hit) {
      if (hit.row.organizationId !== organizationId) throw integrationNotFound();
      return { row: hit.row, cached: true, version: hit.version };
    }
    // One read at a time per integration and organization: calls arriving together after an expiry share it.
    const key = `${organizationId}|${integrationId}`;
    let running = this.loading.get(key);
    if (!running) {
      running = this.readRow(organizationId, integrationId).finally(() => this.loading.delete(key));
      this.loading.set(key, running);
    }
    return running;
  }

  private async readRow(organizationId: string, integrationId: string): Promise<Loaded> {
    const version = await this.cache.currentVersion(integrationId);
    return { row: await this.integrations.findInOrganization(organizationId, integrationId), cached: false, version };
  }

  /**
   * Whether the row must be read again now that the current version is known: a cached row unless the version is
   * unchanged; a row just read only if the integration changed between the version read and now.
   */
  private mustReload(loaded: Loaded, current: string | undefined): boolean {
    if (loaded.cached) return current === undefined || current !== loaded.version;
    return loaded.version !== undefined && current !== undefined && current !== loaded.version;
  }

  /** Everything about the destination that the row and the request decide; refusals here come before any limit is spent. */
  private async prepare(principal: OrgPrincipal, integration: IntegrationEntity, call: ProxiedCall): Promise<Prepared> {
    if (integration.status === IntegrationStatus.Disconnected) throw proxyIntegrationDisconnected();
    const adapter = this.registry.find(integration.provider);
    if (!adapter?.proxyTarget) throw proxyNotSupported(integration.provider);
    const split = splitProxyUrl(call.rawUrl);
    const narrowing = githubNarrowing(call.headers);
    if (narrowing && integration.provider !== IntegrationProvider.Github) throw proxyHeaderInvalid('X-Hub-Github-Repositories', 'sent only to GitHub integrations');
    const allowedRetries = retriesFor(call.method, call.headers);
    const proxyUrl = await this.gatewayOf(principal, integration);
    const target = await adapter.proxyTarget(integration, narrowing ?? {});
    return { split, allowedRetries, proxyUrl, target, url: targetUrl(target.baseUrl, split) };
  }

  /** The integration's gateway: the one of the app connection its configuration names, if any. */
  private async gatewayOf(principal: OrgPrincipal, integration: IntegrationEntity): Promise<string | undefined> {
    if (!integration.configuration.includes('appConnectionId')) return undefined;
    const connectionId = (JSON.parse(integration.configuration) as { appConnectionId?: unknown }).appConnectionId;
    if (typeof connectionId !== 'string') return undefined;
    const { row } = await this.connections.open(principal, connectionId);
    return row.gatewayId ? this.gateways.proxyUrl(row.gatewayId) : undefined;
  }

  /** Small bodies are read so they can be sent again; large or unsized ones stream through once; none for GET/HEAD. */
  private async requestBody(call: ProxiedCall): Promise<{ data: Buffer | Readable | undefined; replayable: boolean }> {
    const length = call.headers['content-length'];
    const chunked = call.headers['transfer-encoding'] !== undefined;
    if (call.method === 'GET' || call.method === 'HEAD' || (!chunked && (length === undefined || length === '0'))) {
      call.body.resume();
      return { data: undefined, replayable: true };
    }
    if (!chunked && Number(length) <= REPLAYABLE_BODY_BYTES) {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of call.body) chunks.push(chunk as Buffer);
      } catch {
        throw proxyBodyIncomplete();
      }
      return { data: Buffer.concat(chunks), replayable: true };
    }
    return { data: call.body, replayable: false };
  }

  private async send(
    integration: IntegrationEntity,
    target: ProxyTarget,
    url: URL,
    call: ProxiedCall,
    body: { data: Buffer | Readable | undefined; replayable: boolean },
    allowedRetries: number,
    dispatcher: Dispatcher,
  ): Promise<Outcome> {
    const forwarded = forwardedRequestHeaders(call.headers);
    const timeoutMs = this.config.proxy.timeoutSeconds * 1000;
    const maxWaitMs = this.config.proxy.maxRetryWaitSeconds * 1000;
    let credential = target.credentialHeaders;
    let retries = 0;
    let refreshed = false;
    for (;;) {
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: call.method as Dispatcher.HttpMethod,
          headers: { ...forwarded, ...credential },
          body: body.data,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (err) {
        const blocked = findBlocked(err);
        if (blocked) throw proxyDestinationRefused(blocked.message);
        if (body.replayable && retries < allowedRetries) {
          const wait = retryDelayMs(null, retries + 1);
          if (wait <= maxWaitMs) {
            retries++;
            this.retries.labels(integration.provider, 'retry').inc();
            await sleep(wait);
            continue;
          }
        }
        throw upstreamError(url.host, err);
      }
      const status = response.statusCode;
      // The provider refused the credential: the next call reads the row (and its credential) again.
      if (status === 401) this.cache.forget(integration.id);
      if (status === 401 && !refreshed && body.replayable && target.refresh) {
        refreshed = true;
        const fresh = await target.refresh().catch((err: Error) => {
          this.logger.warn({ msg: 'proxy credential refresh failed', integrationId: integration.id, provider: integration.provider, error: err.message });
          return null;
        });
        if (fresh) {
          await response.body.dump();
          credential = fresh;
          this.retries.labels(integration.provider, 'refresh').inc();
          continue;
        }
        return { response, retries, refreshed };
      }
      if ((status === 429 || status >= 500) && body.replayable && retries < allowedRetries) {
        const retryAfter = response.headers['retry-after'];
        const wait = retryDelayMs(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null), retries + 1);
        if (wait <= maxWaitMs) {
          await response.body.dump();
          retries++;
          this.retries.labels(integration.provider, 'retry').inc();
          await sleep(wait);
          continue;
        }
      }
      return { response, retries, refreshed };
    }
  }

  private responseHeaders(response: Dispatcher.ResponseData, url: URL, baseUrl: string, proxyBase: string): Record<string, string | string[]> {
    const headers = returnedResponseHeaders(response.headers);
    const location = headers.location;
    if (typeof location === 'string' && response.statusCode >= 300 && response.statusCode < 400) {
      headers.location = rewriteLocation(location, url, baseUrl, proxyBase);
    }
    return headers;
  }
}

function upstreamError(host: string, err: unknown): HubError {
  const code = (err as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return proxyUpstreamTimeout(host);
  const cause = (err as { cause?: { code?: string } }).cause;
  return upstreamUnreachable(host, cause?.code ?? code ?? (err as Error).message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
