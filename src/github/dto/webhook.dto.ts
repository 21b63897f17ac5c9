import { ApiProperty, ApiSchema } from '@nestjs/swagger';

export enum WebhookOutcomeKind {
  Queued = 'queued',
  Duplicate = 'duplicate',
  Ignored = 'ignored',
}

@ApiSchema({ description: 'What the hub did with a webhook delivery.' })
export class WebhookAckDto {
  @ApiProperty({ description: 'Processed, queued, ignored or a duplicate', enum: WebhookOutcomeKind, enumName: 'WebhookOutcome' }) status: WebhookOutcomeKind;
}
