import { Inject, Injectable } from '@nestjs/common';
import { OrgPrincipal } from '../auth/principal';
import { HubError } from '../common/hub-error';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { OAuthStateService } from './oauth-state.service';
import { ProviderRegistry } from './providers/provider-registry.service';
import { invalidNext, kindNotConfigured, kindNotSupported, providerDenied, stateInvalid, stateMismatch, stateMissing } from './integrations.errors';

export const STATE_COOKIE = 'ih_oauth_state';
const STATE_COOKIE_MAX_AGE_S = 300;

/** `next` must stay on the hub: a relative path, never `//host` or a scheme. */
export function assertRelativeNext(next: string | undefined): string | null {
  if (next === undefined || next === '') return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\r\n]/.test(next)) {
    throw invalidNext();
  }
  return next;
}

export interface Redirect {
  location: string;
  setCookie?: string;
}

/** Browser flows shared by every provider: the authorize redirect and the public callback. */
@Injectable()
export class IntegrationFlowsService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly states: OAuthStateService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  redirectUri(kind: string): string {
    return `${this.config.siteUrl}/api/integrations/${kind}/callback`;
  }

  async beginAuthorize(principal: OrgPrincipal, kind: string, nextParam: string | undefined): Promise<Redirect> {
    const next = assertRelativeNext(nextParam);
    const adapter = this.registry.find(kind);
    if (!adapter || !adapter.authorizeUrl) throw kindNotSupported();
    const missing = adapter.missingSettings();
    if (missing.length) throw kindNotConfigured(adapter.displayName, missing);
    const issued = await this.states.issue({ kind, userId: principal.userId, organizationId: principal.organizationId, projectId: principal.projectId ?? null, next });
    const location = await adapter.authorizeUrl({
      ctx: { principal, projectId: principal.projectId ?? null },
      state: issued.state,
      redirectUri: this.redirectUri(kind),
      codeChallenge: issued.codeChallenge,
    });
    return { location, setCookie: stateCookie(issued.state, STATE_COOKIE_MAX_AGE_S) };
  }

  /**
   * Validates the single-use state (and the state cookie when the browser sent one), then lets the adapter finish.
   * For a browser (`browser`), a failure once the state is known (denial, rejected code, ...) lands back on the
   * flow's `next` with `integration_error` (the code) and `integration_error_description` (the reason).
   */
  async completeCallback(kind: string, query: Record<string, string | undefined>, cookieState: string | undefined, browser = false): Promise<Redirect> {
    const adapter = this.registry.find(kind);
    if (!adapter || !adapter.completeCallback) throw kindNotSupported();
    const state = query.state;
    if (!state) throw stateMissing();
    if (cookieState && cookieState !== state) throw stateMismatch();
    const record = await this.states.consume(state, kind);
    if (!record) throw stateInvalid();
    const clear = stateCookie('', 0);
    const next = `${this.config.siteUrl}${record.next ?? `/project/${record.projectId ?? ''}/integrations`}`;
    try {
      if (query.error) throw providerDenied(query.error_description ?? query.error);
      const result = await adapter.completeCallback({ query, state: record, redirectUri: this.redirectUri(kind) });
      if (result.kind === 'redirect') return { location: result.url, setCookie: clear };
      return { location: next, setCookie: clear };
    } catch (err) {
      if (!browser || !(err instanceof HubError) || err.status >= 500) throw err;
      const back = new URL(next);
      back.searchParams.set('integration_error', err.code);
      back.searchParams.set('integration_error_description', err.message);
      return { location: back.toString(), setCookie: clear };
    }
  }
}

function stateCookie(value: string, maxAge: number): string {
  return `${STATE_COOKIE}=${value}; Max-Age=${maxAge}; Path=/api/integrations; HttpOnly; SameSite=Lax`;
}

