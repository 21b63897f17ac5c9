import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * PostHog lets any project member add an integration but only project admins overwrite one (posthog/api/integration.py
 * IntegrationSerializer.create). Whether a connect overwrites is known only where the row is upserted, deep inside
 * each adapter, so the project face runs a member's connect inside this scope and the upsert refuses an existing row
 * before changing it.
 */
const scope = new AsyncLocalStorage<{ refuseOverwrites: true }>();

export function refusingOverwrites<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run({ refuseOverwrites: true }, fn);
}

export function overwritesRefused(): boolean {
  return scope.getStore()?.refuseOverwrites === true;
}
