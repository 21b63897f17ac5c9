import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditInterceptor } from './audited.decorator';

/** The organization audit log: `AuditService.record` for writers, `GET .../audit-log` for owners and admins. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryEntity])],
  controllers: [AuditController],
  providers: [AuditService, AuditInterceptor, { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
