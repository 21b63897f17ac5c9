import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { LimitOffsetQueryDto, PageDto } from '../../common/dto/pagination.dto';
import { IsOmittable } from '../../common/validation';
import { OutboxStatus } from '../outbox-email.entity';

export class OutboxQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ enum: OutboxStatus, enumName: 'OutboxStatus', description: 'Only mail in this state' })
  @IsOmittable() @IsEnum(OutboxStatus)
  status?: OutboxStatus;
}

/** One outbox email as admins see it: never its body (sealed at rest, it can carry one-time tokens). */
@ApiSchema({ description: 'An outbox email as admins see it: recipients, subject, state and attempts; never its body.' })
export class OutboxEmailDto {
  @ApiProperty({ format: 'uuid', description: 'Outbox email id' }) id: string;
  @ApiProperty({ type: [String], description: 'Recipients' }) to: string[];
  @ApiProperty({ description: 'Subject line' }) subject: string;
  @ApiProperty({ enum: OutboxStatus, enumName: 'OutboxStatus', description: 'unsent (waiting or retrying), sent, or discarded (by an admin, or no longer relevant at send time)' })
  status: OutboxStatus;
  @ApiProperty({ description: 'Delivery attempts so far' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "The last delivery error, or why it was discarded" }) last_error: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'invite:3c90c3cc-0d44-4b50-8888-8dd25736052a', description: 'What the mail is about, checked again before delivery' })
  about: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was delivered' }) sent_at: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was queued' }) created_at: string;
}

@ApiSchema({ description: "One page of the organization's outbox, newest first." })
export class OutboxPageDto extends PageDto {
  @ApiProperty({ type: [OutboxEmailDto], description: 'This page, newest first' }) results: OutboxEmailDto[];
}
