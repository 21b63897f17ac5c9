import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ApiKeyStrategy } from './bearer-api-key.strategy';
import { AuthzGuard } from './authz.guard';
import { FailedAuthLimiter } from './failed-auth-limiter';

@Global()
@Module({
  imports: [PassportModule.register({ session: false }), OrganizationsModule],
  providers: [ApiKeyStrategy, FailedAuthLimiter, { provide: APP_GUARD, useClass: AuthzGuard }],
  exports: [FailedAuthLimiter],
})
export class AuthModule {}
