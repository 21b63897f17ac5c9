import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { GithubModule } from '../github/github.module';
import { GithubOrgFetcher } from './github-org-fetcher';
import { GithubOrgLevelReader } from './github-org-level-reader';
import { ScanBaselineEntity } from './scan-baseline.entity';
import { ScanBaselinesService } from './scan-baselines.service';
import { ScanCache } from './scan-cache';
import { ScanExemptionEntity } from './scan-exemption.entity';
import { ScanExemptionsService } from './scan-exemptions.service';
import { ScanScheduleEntity } from './scan-schedule.entity';
import { ScanSchedulesService } from './scan-schedules.service';
import { ScanReportsService } from './scan-reports.service';
import { ScanResultEntity } from './scan-result.entity';
import { ScanRunner } from './scan-runner';
import { ScanThrottle } from './scan-throttle';
import { ScanController } from './scan.controller';
import { ScanEntity } from './scan.entity';
import { ScanProcessor } from './scan.processor';
import { ScanService } from './scan.service';

/** GitHub organization scans on the queue: progress, findings against a baseline, drift, cache. */
@Module({
  imports: [TypeOrmModule.forFeature([ScanEntity, ScanResultEntity, ScanBaselineEntity, ScanExemptionEntity, ScanScheduleEntity]), GithubModule, AuditModule],
  controllers: [ScanController],
  providers: [ScanService, ScanReportsService, ScanBaselinesService, ScanExemptionsService, ScanSchedulesService, ScanRunner, ScanProcessor, GithubOrgFetcher, GithubOrgLevelReader, ScanCache, ScanThrottle],
})
export class ScanModule {}
