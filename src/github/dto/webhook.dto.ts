import { ApiProperty } from '@nestjs/swagger';

export enum WebhookOutcomeKind {
  Queued = 'queued',
  Duplicate = 'duplicate',
  Ignored = 'ignored',
}

export class WebhookAckDto {
  @ApiProperty({ enum: WebhookOutcomeKind, enumName: 'WebhookOutcome' }) status: WebhookOutcomeKind;
}
