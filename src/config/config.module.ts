import { DynamicModule, Global, Module } from '@nestjs/common';
import type { HubConfig } from './hub-config';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** The validated configuration is built once in bootstrap and provided everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: HUB_CONFIG, useValue: config }], exports: [HUB_CONFIG] };
  }
}
