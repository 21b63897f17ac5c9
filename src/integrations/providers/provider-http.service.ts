import { Injectable } from '@nestjs/common';
import { OutboundHttpService } from '../../common/outbound/outbound-http.service';
import { MetricsService } from '../../health/metrics.service';
import { providerRateLimited } from '../../common/common.errors';
import { invalidCredentialsInput, providerBadResponse } from '../integrations.errors';

export interface ProviderCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Per-attempt timeout; 10 s unless given. */
  timeoutMs?: number;
}

export interface ProviderResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls a provider through the guarded outbound client and translates its rate limit into our 429
 * `rate_limited` (with Retry-After); every other status is left to the adapter, which knows what it means.
 */
@Injectable()
export class ProviderHttp {
  constructor(
    private readonly outbound: OutboundHttpService,
    private readonly metrics: MetricsService,
  ) {}

  async call<T = Record<string, unknown>>(providerName: string, url: string, call: ProviderCall = {}): Promise<ProviderResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    }
    const started = performance.now();
    let res: Awaited<ReturnType<OutboundHttpService['request']>>;
    try {
      res = await this.outbound.request(url, { method: call.method ?? 'GET', headers, body, timeoutMs: call.timeoutMs ?? 10_000, maxWaitMs: 2_000 });
    } catch (err) {
      this.metrics.observeProviderCall(providerLabel(providerName), undefined, (performance.now() - started) / 1000);
      throw err;
    }
    this.metrics.observeProviderCall(providerLabel(providerName), res.status, (performance.now() - started) / 1000);
    if (res.status === 429) {
      const retryAfter = res.headers.get('retry-after') ?? '60';
      await res.body?.cancel();
      throw providerRateLimited(`${providerName} rate limit reached; retry after ${retryAfter} seconds`, retryAfter);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw providerBadResponse(providerName);
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers as unknown as Headers };
  }
}

/** Pages a list the provider hands back whole (or that we filter locally). */
export function paginate<T extends { name: string }>(items: T[], page: number, perPage: number, search?: string): { repos: T[]; total: number } {
  const needle = search?.toLowerCase();
  const matching = needle ? items.filter((i) => i.name.toLowerCase().includes(needle)) : items;
  return { repos: matching.slice((page - 1) * perPage, page * perPage), total: matching.length };
}

export function stringField(body: Record<string, unknown>, name: string, required: true): string;
export function stringField(body: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalidCredentialsInput(name, `${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidCredentialsInput(name, `${name} must be a string`);
  return value;
}


/** `Microsoft Graph` → `microsoft_graph`: the provider label of hub_provider_request_duration_seconds. */
function providerLabel(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}
