import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import { IntegrationItemType, IntegrationProvider } from '../integration.enums';
import { IsOmittable } from '../../common/validation';

/** vRaptor's integration object. */
@ApiSchema({ description: "vRaptor's integration object." })
export class IntegrationObjectDto {
  @ApiProperty({ example: '7300112233445566778', description: 'Snowflake (decimal string)' }) id: string;
  /** vRaptor's own spelling on the wire; the hub says organization everywhere else. */
  @ApiProperty({ description: 'The organization (vRaptor spelling)', example: 'b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10' }) organisation_id: string;
  @ApiProperty({ description: 'Object type it triggers on', enum: IntegrationItemType, enumName: 'IntegrationItemType' }) item_type: IntegrationItemType;
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ description: 'Whether it is active' }) enabled: boolean;
  @ApiProperty({ description: 'JSON text, validated against the provider schema', example: '{"default_channel":"#alerts"}' }) configuration: string;
}

@ApiSchema({ description: 'Partial update of an integration object (vRaptor).' })
export class UpdateIntegrationObjectDto {
  @ApiPropertyOptional({ description: 'JSON text, validated against the provider schema' }) @IsOmittable() @IsString() @MaxLength(65536) configuration?: string;
  @ApiPropertyOptional({ description: 'Enable or disable (enabling needs a connected integration)' }) @IsOmittable() @IsBoolean() enabled?: boolean;
}

@ApiSchema({ description: 'A sync was queued.' })
export class SyncAcceptedDto {
  @ApiProperty({ description: 'The integration id' }) id: string;
  @ApiProperty({ description: 'The queued job id' }) job_id: string;
  @ApiProperty({ description: 'Always `queued`', example: 'queued' }) status: string;
}
