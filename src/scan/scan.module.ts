import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GithubModule } from '../github/github.module';
import { GithubOrgFetcher } from './github-org-fetcher';
import { GithubOrgLevelReader } from './github-org-level-reader';
import { ScanBaselineEntity } from './scan-baseline.entity';
import { ScanBaselinesService } from './scan-baselines.service';
import { ScanCache } from './scan-cache';
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
  imports: [TypeOrmModule.forFeature([ScanEntity, ScanResultEntity, ScanBaselineEntity]), GithubModule],
  controllers: [ScanController],
  providers: [ScanService, ScanReportsService, ScanBaselinesService, ScanRunner, ScanProcessor, GithubOrgFetcher, GithubOrgLevelReader, ScanCache, ScanThrottle],
})
export class ScanModule {}
