import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationsModule } from '../integrations/integrations.module';
import { DomainConnectDiscoveryService } from './domain-connect-discovery.service';
import { DomainConnectController, DomainConnectKeyController } from './domain-connect.controller';
import { DomainConnectService } from './domain-connect.service';
import { ProxyRecordEntity } from './proxy-record.entity';
import { ProxyRecordsController } from './proxy-records.controller';
import { ProxyRecordsService } from './proxy-records.service';

@Module({
  imports: [TypeOrmModule.forFeature([ProxyRecordEntity]), IntegrationsModule],
  controllers: [DomainConnectController, DomainConnectKeyController, ProxyRecordsController],
  providers: [DomainConnectDiscoveryService, DomainConnectService, ProxyRecordsService],
})
export class DomainConnectModule {}
