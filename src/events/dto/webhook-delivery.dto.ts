import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { WebhookDeliveryStatus, WebhookEventType } from '../events.enums';

export class ListWebhookDeliveriesQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  @IsOptional() @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'evt_7281928173618176', description: 'The event id, sent as `webhook-id` on every attempt: de-duplicate on it' }) event_id: string;
  @ApiProperty({ enum: WebhookEventType, enumName: 'WebhookEventType' }) event_type: WebhookEventType;
  @ApiProperty({ enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus' }) status: WebhookDeliveryStatus;
  @ApiProperty({ description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's HTTP status on the last attempt" }) response_status: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Duration of the last attempt in milliseconds' }) response_time_ms: number | null;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) first_attempt_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_attempt_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) succeeded_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty() count: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [WebhookDeliveryDto] }) results: WebhookDeliveryDto[];
}
