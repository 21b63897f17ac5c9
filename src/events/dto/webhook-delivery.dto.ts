import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { WebhookDeliveryStatus, WebhookEventType } from '../events.enums';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Delivery log filters and paging.' })
export class ListWebhookDeliveriesQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ description: 'Only deliveries in this state', enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  @IsOptional() @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;
}

@ApiSchema({ description: 'One delivery of an event to a subscription, with its attempts.' })
export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Id of the delivery', format: 'uuid' }) id: string;
  @ApiProperty({ example: 'evt_7281928173618176', description: 'The event id, sent as `webhook-id` on every attempt: de-duplicate on it' }) event_id: string;
  @ApiProperty({ description: 'The event delivered', enum: WebhookEventType, enumName: 'WebhookEventType' }) event_type: WebhookEventType;
  @ApiProperty({ description: 'State of the delivery', enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus' }) status: WebhookDeliveryStatus;
  @ApiProperty({ description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's HTTP status on the last attempt" }) response_status: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Duration of the last attempt in milliseconds' }) response_time_ms: number | null;
  @ApiProperty({ description: 'Why the last attempt failed (status or network error)', type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ description: 'When the next attempt is due', type: String, format: 'date-time', nullable: true }) next_attempt_at: string | null;
  @ApiProperty({ description: 'When it was first attempted', type: String, format: 'date-time', nullable: true }) first_attempt_at: string | null;
  @ApiProperty({ description: 'When it was last attempted', type: String, format: 'date-time', nullable: true }) last_attempt_at: string | null;
  @ApiProperty({ description: 'When the receiver accepted it', type: String, format: 'date-time', nullable: true }) succeeded_at: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: 'One page of a subscription\'s delivery log, newest first.' })
export class WebhookDeliveryPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [WebhookDeliveryDto] }) results: WebhookDeliveryDto[];
}
