import { Inject, Injectable, Logger } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, Dispatcher, ProxyAgent, fetch as undiciFetch, RequestInit as UndiciRequestInit, Response as UndiciResponse } from 'undici';
import { HUB_CONFIG } from '../../config/config.module';
import type { HubConfig } from '../../config/hub-config';
import { invalidUrl, upstreamUnreachable } from '../common.errors';
import { isPrivateAddress, OutboundBlockedError, parseOutboundUrl } from './address-guard';

export interface OutboundRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Attempts on 429/5xx and connection errors; default 3 (GET/HEAD) or 1 (others). */
  attempts?: number;
  /** Longest single wait for Retry-After or backoff before giving up; default 10 s. */
  maxWaitMs?: number;
  /** HTTP proxy (app connection gateways). */
  proxyUrl?: string;
  redirect?: 'follow' | 'manual' | 'error';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The one way the hub calls out: timeouts, bounded retries with backoff honoring Retry-After, and a guard
 * that refuses private, loopback, link-local and metadata addresses after DNS resolution — for every
 * connection, so redirects are checked too. OUTBOUND_ALLOW_PRIVATE=true (tests) lifts the guard.
 */
@Injectable()
export class OutboundHttpService {
  private readonly logger = new Logger(OutboundHttpService.name);
  private readonly agent: Agent;
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly extraCa?: string[];

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    // Extra CAs are added to the system roots, never replace them; certificate verification stays on.
    const ca = config.outboundExtraCaCerts ? [...rootCertificates, config.outboundExtraCaCerts] : undefined;
    this.extraCa = ca;
    const connect = buildConnector({ lookup: this.guardedLookup as never, ...(ca ? { ca } : {}) });
    // Every connection passes here (redirects included); IP literals skip DNS, so they are checked directly.
    const guardedConnect: buildConnector.connector = (opts, callback) => {
      const host = opts.hostname.replace(/^\[|\]$/g, '');
      if (!this.allowPrivate && isIP(host) && isPrivateAddress(host)) {
        callback(new OutboundBlockedError(host), null);
        return;
      }
      connect(opts, callback);
    };
    this.agent = new Agent({ connect: guardedConnect, keepAliveTimeout: 10_000, connections: 64 });
  }

  get allowPrivate(): boolean {
    return this.config.outboundAllowPrivate;
  }

  /** Throws OutboundBlockedError for a host that resolves to a forbidden address (for validating user input). */
  async assertPublicHost(host: string): Promise<void> {
    if (this.allowPrivate) return;
    const bare = host.replace(/^\[|\]$/g, '');
    const addresses = isIP(bare) ? [bare] : (await this.resolve(bare)).map((a) => a.address);
    const bad = addresses.find(isPrivateAddress);
    if (bad) throw new OutboundBlockedError(host, bad);
  }

  /** A fetch-compatible function (for octokit and other SDKs) that goes through the guard. */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    return undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: this.agent }) as unknown as Promise<Response>;
  };

  /** Like `fetch`, but through an HTTP proxy (an app connection's gateway), which makes the connection itself. */
  fetchVia(proxyUrl: string): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
    const dispatcher = this.proxy(proxyUrl);
    return (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
      return undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher }) as unknown as Promise<Response>;
    };
  }

  /** The guarded dispatcher, or a gateway's HTTP proxy, for callers that stream bodies themselves (the provider proxy). */
  dispatcher(proxyUrl?: string): Dispatcher {
    return proxyUrl ? this.proxy(proxyUrl) : this.agent;
  }

  async request(url: string, opts: OutboundRequestOptions = {}): Promise<UndiciResponse> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const attempts = opts.attempts ?? (method === 'GET' || method === 'HEAD' ? 3 : 1);
    const maxWaitMs = opts.maxWaitMs ?? 10_000;
    const target = parseOutboundUrl(url);
    const dispatcher = opts.proxyUrl ? this.proxy(opts.proxyUrl) : this.agent;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await undiciFetch(url, {
          method,
          headers: opts.headers,
          body: opts.body,
          redirect: opts.redirect ?? 'follow',
          dispatcher,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
          const wait = retryDelayMs(res.headers.get('retry-after'), attempt);
          if (wait > maxWaitMs) return res;
          await res.body?.cancel();
          await sleep(wait);
          continue;
        }
        return res;
      } catch (err) {
        const blocked = findBlocked(err);
        if (blocked) throw blocked;
        // fetch refuses some ports outright (the Fetch standard's "bad ports"): the URL is the problem.
        if (describe(err) === 'bad port') throw invalidUrl(`Port ${target.port} is not allowed for outbound calls`);
        lastError = err;
        if (attempt < attempts) await sleep(retryDelayMs(null, attempt));
      }
    }
    throw upstreamUnreachable(target.host, describe(lastError));
  }

  private proxy(url: string): Dispatcher {
    let agent = this.proxies.get(url);
    if (!agent) {
      agent = new ProxyAgent({ uri: url, ...(this.extraCa ? { requestTls: { ca: this.extraCa } } : {}) });
      this.proxies.set(url, agent);
    }
    return agent;
  }

  private resolve(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) =>
      dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
    );
  }

  private readonly guardedLookup = (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!this.allowPrivate) {
        const bad = list.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(new OutboundBlockedError(hostname, bad.address) as unknown as NodeJS.ErrnoException, []);
      }
      const all = (options as { all?: boolean }).all;
      if (all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
}

/** The guard's refusal behind a failed connection, if that is why it failed. */
export function findBlocked(err: unknown): OutboundBlockedError | null {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof OutboundBlockedError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? 'unknown error';
}

export function retryDelayMs(retryAfter: string | null, attempt: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return Math.min(8000, 250 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
