import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsObject } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { IntegrationProvider } from '../integration.enums';
import { IsOmittable } from '../../common/validation';

/** PostHog's integration body. */
export class ProjectIntegrationDto {
  @ApiProperty({ example: '7300112233445566778' }) id: string;
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) kind: IntegrationProvider;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Non-secret configuration' }) config: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, description: 'User id of the creator' }) created_by: string | null;
  @ApiProperty({ description: 'Empty when healthy', example: '' }) errors: string;
  @ApiProperty({ example: 'example.com' }) display_name: string;
}

export class ProjectIntegrationListDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: String, nullable: true }) next: string | null;
  @ApiProperty({ type: String, nullable: true }) previous: string | null;
  @ApiProperty({ type: [ProjectIntegrationDto] }) results: ProjectIntegrationDto[];
}

export class ListProjectIntegrationsQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) @IsOmittable() @IsEnum(IntegrationProvider) kind?: IntegrationProvider;
}

export class CreateProjectIntegrationDto {
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider', example: 'email' }) @IsEnum(IntegrationProvider) kind: IntegrationProvider;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'email: {domain, verify_token, dkim_tokens[3], mail_from_subdomain?, region}; discord: {webhook_url}; mantisbt: {url, token}; gitlab: {token}',
  })
  @IsObject()
  config: Record<string, unknown>;
}
