import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SUBSCRIBABLE_EVENT_TYPES, WebhookEventType } from '../events.enums';
import { PageDto } from '../../common/dto/pagination.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Longest grace period during which a rolled secret still signs. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRACE_SECONDS = 24 * 3600;

@ApiSchema({ description: 'Body of a new webhook subscription.' })
export class CreateWebhookDto {
  @ApiProperty({ maxLength: 2048, example: 'https://billing.internal.example/hooks/hub', description: 'https required in production; private addresses are refused' })
  @Transform(trim) @IsString() @MaxLength(2048)
  url: string;

  @ApiProperty({ description: 'Events to receive', enum: SUBSCRIBABLE_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, example: ['integration.connected', 'integration.refresh_failed'] })
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(SUBSCRIBABLE_EVENT_TYPES.length) @IsIn(SUBSCRIBABLE_EVENT_TYPES, { each: true })
  events: WebhookEventType[];

  @ApiPropertyOptional({ description: 'Free text, e.g. who receives it', maxLength: 500, example: 'Billing service' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'Whether deliveries start at once', default: true })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

@ApiSchema({ description: 'Changes to a webhook subscription; omitted fields keep their value.' })
export class UpdateWebhookDto {
  @ApiPropertyOptional({ description: 'New receiver URL (HTTPS, checked by the outbound guard)', maxLength: 2048 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: 'New set of events', enum: SUBSCRIBABLE_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true })
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayMaxSize(SUBSCRIBABLE_EVENT_TYPES.length) @IsIn(SUBSCRIBABLE_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ description: 'Free text, or null to clear', type: String, nullable: true, maxLength: 500 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Enabling a subscription the hub disabled clears its failure streak' })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

@ApiSchema({ description: 'Options of a secret roll.' })
export class RollWebhookSecretDto {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_GRACE_SECONDS, default: DEFAULT_GRACE_SECONDS, description: 'How long the old secret keeps signing beside the new one' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_GRACE_SECONDS)
  grace_period_seconds?: number;
}

@ApiSchema({ description: 'A webhook subscription (never its secret).' })
export class WebhookDto {
  @ApiProperty({ description: 'Id of the subscription', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Receiver URL' }) url: string;
  @ApiProperty({ description: 'Events it receives', enum: SUBSCRIBABLE_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true }) events: WebhookEventType[];
  @ApiProperty({ description: 'Free text', type: String, nullable: true }) description: string | null;
  @ApiProperty({ description: 'Whether deliveries are sent' }) enabled: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why the hub disabled the subscription' }) disabled_reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the previous secret also signs' })
  previous_secret_expires_at: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', format: 'date-time' }) updated_at: string;
}

@ApiSchema({ description: 'A new subscription with its signing secret, shown once.' })
export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, shown only here: verify with the standardwebhooks or svix libraries' })
  secret: string;
}

@ApiSchema({ description: 'A subscription with its new signing secret, shown once.' })
export class RolledWebhookSecretDto {
  @ApiProperty({ description: 'The new signing secret, shown only here' }) secret: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the previous secret also signs (null: not at all)' })
  previous_secret_expires_at: string | null;
}

@ApiSchema({ description: 'A page of the organization\'s webhook subscriptions.' })
export class WebhookListDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [WebhookDto] }) results: WebhookDto[];
}
