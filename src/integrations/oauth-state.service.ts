import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, LessThan, Repository } from 'typeorm';
import { KeyRing } from '../common/sealed-secrets';
import { OAuthStateEntity } from './oauth-state.entity';

export const STATE_TTL_MS = 10 * 60 * 1000;

export interface NewOAuthState {
  kind: string;
  userId: string;
  organizationId: string;
  projectId: string | null;
  next: string | null;
  data?: Record<string, unknown>;
}

export interface OAuthStateRecord extends NewOAuthState {
  data: Record<string, unknown>;
  /** PKCE verifier, opened from its sealed form. */
  codeVerifier: string;
}

export interface IssuedState {
  state: string;
  codeVerifier: string;
  codeChallenge: string;
  expiresAt: Date;
}

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/** The PKCE verifier is bound to its state's row. */
export const verifierSealContext = (stateHash: string) => ({ table: 'oauth_states', rowId: stateHash, field: 'code_verifier' });

/** Random, single-use, 10-minute states bound to the user, project and `next`. */
@Injectable()
export class OAuthStateService {
  constructor(
    @InjectRepository(OAuthStateEntity) private readonly states: Repository<OAuthStateEntity>,
    private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
  ) {}

  async issue(input: NewOAuthState): Promise<IssuedState> {
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(48).toString('base64url');
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const stateHash = hash(state);
    const expiresAt = new Date(Date.now() + STATE_TTL_MS);
    await this.states.insert({
      stateHash,
      kind: input.kind,
      userId: input.userId,
      organizationId: input.organizationId,
      projectId: input.projectId,
      next: input.next,
      // jsonb: TypeORM's insert typing cannot express an arbitrary object here.
      data: (input.data ?? {}) as never,
      sealedCodeVerifier: this.keyRing.seal(codeVerifier, verifierSealContext(stateHash)),
      expiresAt,
      consumedAt: null,
    });
    // Opportunistic cleanup of long-expired states.
    void this.states.delete({ expiresAt: LessThan(new Date(Date.now() - 24 * 3600 * 1000)) }).catch(() => undefined);
    return { state, codeVerifier, codeChallenge, expiresAt };
  }

  /** Claims a state once; null when it is unknown, expired, already used or for another kind. */
  async consume(state: string, kind: string): Promise<OAuthStateRecord | null> {
    if (!state || state.length > 256) return null;
    const stateHash = hash(state);
    const rows: OAuthStateRow[] = await this.dataSource
      .query(
        `UPDATE oauth_states SET consumed_at = now()
          WHERE state_hash = $1 AND kind = $2 AND consumed_at IS NULL AND expires_at > now()
          RETURNING kind, user_id, organization_id, project_id, next_path, data, sealed_code_verifier`,
        [stateHash, kind],
      )
      .then((r: [OAuthStateRow[], number] | OAuthStateRow[]) => (Array.isArray(r[0]) ? (r[0] as OAuthStateRow[]) : (r as OAuthStateRow[])));
    const row = rows[0];
    if (!row) return null;
    return {
      kind: row.kind,
      userId: row.user_id,
      organizationId: row.organization_id,
      projectId: row.project_id,
      next: row.next_path,
      data: row.data ?? {},
      codeVerifier: row.sealed_code_verifier
        ? this.keyRing.open(row.sealed_code_verifier, verifierSealContext(stateHash))
        : '',
    };
  }
}

interface OAuthStateRow {
  kind: string;
  user_id: string;
  organization_id: string;
  project_id: string | null;
  next_path: string | null;
  data: Record<string, unknown> | null;
  sealed_code_verifier: string | null;
}
