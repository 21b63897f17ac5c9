import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { MailService } from './mail.service';
import { OutboxController } from './outbox.controller';
import { OutboxEmailEntity } from './outbox-email.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEmailEntity]), AuditModule],
  controllers: [OutboxController],
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
