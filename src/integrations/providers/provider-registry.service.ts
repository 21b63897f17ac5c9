import { Injectable } from '@nestjs/common';
import { IntegrationProvider, SUPPORTED_PROVIDERS } from '../integration.enums';
import { ProviderAdapter } from './provider-adapter';
import { providerNotFound } from '../integrations.errors';

/** Adapters register here; the faces look them up by provider name. */
@Injectable()
export class ProviderRegistry {
  private readonly adapters = new Map<IntegrationProvider, ProviderAdapter>();

  register(adapter: ProviderAdapter): void {
    this.adapters.set(adapter.provider, adapter);
  }

  /** 404 naming the supported providers for an unknown one. */
  get(provider: string): ProviderAdapter {
    const adapter = this.adapters.get(provider as IntegrationProvider);
    if (!adapter) {
      throw providerNotFound(provider, SUPPORTED_PROVIDERS);
    }
    return adapter;
  }

  find(provider: string): ProviderAdapter | undefined {
    return this.adapters.get(provider as IntegrationProvider);
  }

  all(): ProviderAdapter[] {
    return [...this.adapters.values()];
  }
}
