import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class UpdateScanScheduleDto {
  @ApiProperty({ example: '0 3 * * 1-5', description: 'Five-field cron expression in UTC (minute hour day-of-month month day-of-week)' })
  @IsString()
  @MaxLength(100)
  cron: string;
}

export class ScanScheduleDto {
  @ApiProperty({ type: String, nullable: true, example: '0 3 * * 1-5', description: 'null: no scheduled scans' }) cron: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRunAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRunAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The scan the schedule last started (or found running)' }) lastScanId: string | null;
}
