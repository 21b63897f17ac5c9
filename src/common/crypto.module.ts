import { DynamicModule, Global, Module } from '@nestjs/common';
import { KeyRing } from './sealed-secrets';

/** Provides the key ring that seals secrets at rest. */
@Global()
@Module({})
export class CryptoModule {
  static forRoot(keyRing: KeyRing): DynamicModule {
    return { module: CryptoModule, providers: [{ provide: KeyRing, useValue: keyRing }], exports: [KeyRing] };
  }
}
