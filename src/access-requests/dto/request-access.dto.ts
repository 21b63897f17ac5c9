import { IgnoresUnknownFields } from '../../common/validation';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IntegrationProvider, SUPPORTED_PROVIDERS } from '../../integrations/integration.enums';

export const MAX_REASON_LENGTH = 2000;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** DRF serializers ignore fields they do not declare. */
@ApiSchema({ description: 'DRF serializers ignore fields they do not declare.' })
@IgnoresUnknownFields()
export class RequestAccessDto {
  @ApiProperty({ description: 'The provider to connect', enum: IntegrationProvider, enumName: 'IntegrationProvider', example: 'github' })
  @IsIn(SUPPORTED_PROVIDERS, { message: 'Kind not supported' })
  kind: IntegrationProvider;

  @ApiProperty({ description: 'Why, for the admins', maxLength: MAX_REASON_LENGTH, example: 'We want pull request links on our issues' })
  @Transform(trim)
  @IsString() @IsNotEmpty({ message: 'reason must not be blank' }) @MaxLength(MAX_REASON_LENGTH)
  reason: string;
}

@ApiSchema({ description: 'PostHog-style acknowledgement.' })
export class SuccessDto {
  @ApiProperty({ description: 'Always true', example: true }) success: boolean;
}
