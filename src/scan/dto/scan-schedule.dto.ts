import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

@ApiSchema({ description: 'A scan schedule.' })
export class UpdateScanScheduleDto {
  @ApiProperty({ example: '0 3 * * 1-5', description: 'Five-field cron expression in UTC (minute hour day-of-month month day-of-week)' })
  @IsString()
  @MaxLength(100)
  cron: string;
}

@ApiSchema({ description: "The organization's scan schedule." })
export class ScanScheduleDto {
  @ApiProperty({ type: String, nullable: true, example: '0 3 * * 1-5', description: 'null: no scheduled scans' }) cron: string | null;
  @ApiProperty({ description: 'When the next scheduled scan is due', type: String, format: 'date-time', nullable: true }) nextRunAt: string | null;
  @ApiProperty({ description: 'When a scheduled scan last started', type: String, format: 'date-time', nullable: true }) lastRunAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The scan the schedule last started (or found running)' }) lastScanId: string | null;
}
