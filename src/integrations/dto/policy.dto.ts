import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsObject, IsString, MaxLength, MinLength } from 'class-validator';
import { IntegrationProvider } from '../integration.enums';
import { IsOmittable } from '../../common/validation';
import { IsInt64Id } from '../../common/int64-id';

export class PolicyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Protect main' }) name: string;
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ type: String, nullable: true, description: 'The integration it depends on' }) integration_id: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'branch_protection' }) check: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'notify' }) action: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) config: Record<string, unknown>;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled automatically' }) disabled_reason: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
}

export class PolicyListDto {
  @ApiProperty({ type: [PolicyDto] }) policies: PolicyDto[];
}

export class UpdatePolicyDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ example: 'notify' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOmittable() @IsObject() config?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() enabled?: boolean;
}

export class CreatePolicyDto {
  @ApiProperty({ example: 'Protect main' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ example: 'notify' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOmittable() @IsObject() config?: Record<string, unknown>;
  @ApiPropertyOptional({ default: true }) @IsOmittable() @IsBoolean() enabled?: boolean;
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) @IsEnum(IntegrationProvider) provider: IntegrationProvider;
  @ApiPropertyOptional({ description: 'Default: the first connected integration of the provider' })
  @IsOmittable() @IsInt64Id('integration_id must be a snowflake id')
  integration_id?: string;
}
