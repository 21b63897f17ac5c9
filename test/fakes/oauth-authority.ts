import { createHash, randomBytes } from 'node:crypto';
import { bodyParams, FakeReply, SeenRequest } from './fake-server';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  redirectUri: string;
  challenge?: string;
}

/**
 * The authorization server half of the OAuth fakes (RFC 6749 code grant + RFC 7636 PKCE): the authorize
 * endpoint redirects straight back with a code (the user always consents), the token endpoint checks the
 * client, code, redirect_uri and verifier, and issues rotating refresh tokens.
 */
export class OAuthAuthority {
  /** Lifetime of issued access tokens in seconds. */
  lifetimeSeconds = 7200;
  /** When true the token endpoint refuses refresh grants. */
  refuseRefresh = false;
  /** Parameters the provider adds to its redirect beside `code` and `state` (Microsoft's `session_state`). */
  redirectExtras: () => Record<string, string> = () => ({});
  readonly accessTokens = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Set<string>();
  readonly grants: Array<Record<string, string>> = [];
  /** Refresh grants the token endpoint accepted (each spends its single-use refresh token). */
  refreshesAccepted = 0;
  /** Replies the token endpoint gives instead of its answer, one per request, first in first out (outages, rate limits). */
  readonly outages: FakeReply[] = [];
  /** Latency of the token endpoint; a real one takes tens to hundreds of milliseconds, which is when concurrent callers collide. */
  tokenDelayMs = 0;

  constructor(readonly client: OAuthClient, private readonly prefix: string) {}

  authorize(req: SeenRequest): FakeReply {
    const q = req.query;
    if (q.get('client_id') !== this.client.clientId || q.get('response_type') !== 'code') return { status: 400, json: { error: 'invalid_request' } };
    const code = `code-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { redirectUri: q.get('redirect_uri') ?? '', challenge: q.get('code_challenge') ?? undefined });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    for (const [k, v] of Object.entries(this.redirectExtras())) back.searchParams.set(k, v);
    return { status: 302, headers: { location: back.toString() } };
  }

  /** Waits the endpoint's latency, then hands out the next injected outage reply, if any. */
  async outage(): Promise<FakeReply | undefined> {
    if (this.tokenDelayMs) await new Promise((r) => setTimeout(r, this.tokenDelayMs));
    return this.outages.shift();
  }

  /** Answers the token grant, or null with the OAuth error code. */
  token(req: SeenRequest): { tokens: Record<string, unknown> } | { error: string } {
    const p = bodyParams(req);
    this.grants.push(p);
    if (p.client_id !== this.client.clientId || p.client_secret !== this.client.clientSecret) return { error: 'invalid_client' };
    if (p.grant_type === 'authorization_code') {
      const pending = this.codes.get(p.code);
      this.codes.delete(p.code);
      if (!pending || pending.redirectUri !== p.redirect_uri) return { error: 'invalid_grant' };
      if (pending.challenge && createHash('sha256').update(p.code_verifier ?? '').digest('base64url') !== pending.challenge) return { error: 'invalid_grant' };
      return { tokens: this.issue() };
    }
    if (p.grant_type === 'refresh_token') {
      // Single use: a refresh token is spent by its first use, and the answer carries a new one (rotation).
      if (this.refuseRefresh || !this.refreshTokens.delete(p.refresh_token)) return { error: 'invalid_grant' };
      this.refreshesAccepted++;
      return { tokens: this.issue() };
    }
    return { error: 'unsupported_grant_type' };
  }

  valid(token: string | undefined): boolean {
    return !!token && this.accessTokens.has(token);
  }

  private issue(): Record<string, unknown> {
    const access = `${this.prefix}-at-${randomBytes(12).toString('hex')}`;
    const refresh = `${this.prefix}-rt-${randomBytes(12).toString('hex')}`;
    this.accessTokens.add(access);
    this.refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: this.lifetimeSeconds, token_type: 'Bearer' };
  }
}
