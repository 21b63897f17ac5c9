import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyStrategy } from './bearer-api-key.strategy';
import { AuthzGuard } from './authz.guard';
import { FailedAuthLimiter } from './failed-auth-limiter';

@Global()
@Module({})
export class AuthModule {
  /** `directory`: the module that provides and exports AuthDirectory (the organizations module), chosen by the application root. */
  static register(directory: Type<unknown>): DynamicModule {
    return {
      module: AuthModule,
      imports: [directory],
      providers: [ApiKeyStrategy, FailedAuthLimiter, { provide: APP_GUARD, useClass: AuthzGuard }],
      exports: [FailedAuthLimiter],
    };
  }
}
