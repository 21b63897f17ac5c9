import { Injectable } from '@nestjs/common';
import type { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationVersions } from '../integrations/integration-versions.service';

/** How long a row is kept without being read again, even while its version stays the same. */
export const PROXY_ROW_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export interface CachedIntegration {
  row: IntegrationEntity;
  /** The integration's version read before the row was loaded (IntegrationVersions). */
  version: string;
  until: number;
}

/**
 * The proxy's in-process copy of the integration rows it forwards for (their credentials are opened once per row,
 * see IntegrationsService.readCredentials), so a call costs no database round trip. A row is used only while the
 * version read with the call's limits (same Redis round trip) equals the one read before the row was loaded: a
 * change committed anywhere (disconnect, reconnect, configuration, refresh) is seen by the next call on every
 * replica. Changes made in this process drop the row at once; rows also expire after PROXY_ROW_TTL_MS.
 */
@Injectable()
export class ProxyIntegrationCache {
  private readonly entries = new Map<string, CachedIntegration>();

  constructor(private readonly versions: IntegrationVersions) {
    versions.onChange((ids) => ids.forEach((id) => this.forget(id)));
  }

  get(id: string): CachedIntegration | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return hit;
  }

  /** `version` undefined (Redis could not say): nothing is kept. */
  set(row: IntegrationEntity, version: string | undefined): void {
    if (version === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(row.id, { row, version, until: Date.now() + PROXY_ROW_TTL_MS });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  /** The version to load a row under: read before the row, so a change committed after the read is noticed. */
  currentVersion(id: string): Promise<string | undefined> {
    return this.versions.current(id);
  }
}
