import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsObject, IsString, MaxLength, MinLength } from 'class-validator';
import { IntegrationProvider } from '../integration.enums';
import { IsOmittable } from '../../common/validation';
import { IsInt64Id } from '../../common/int64-id';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: "A workspace policy over an integration's check or action." })
export class PolicyDto {
  @ApiProperty({ description: 'Id of the policy', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Name', example: 'Protect main' }) name: string;
  @ApiProperty({ description: 'The provider', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) provider: IntegrationProvider;
  @ApiProperty({ type: String, nullable: true, description: 'The integration it depends on' }) integration_id: string | null;
  @ApiProperty({ description: 'The check it uses, or null', type: String, nullable: true, example: 'branch_protection' }) check: string | null;
  @ApiProperty({ description: 'The action it uses, or null', type: String, nullable: true, example: 'notify' }) action: string | null;
  @ApiProperty({ description: 'Settings of the policy (depends on the check or action)', type: 'object', additionalProperties: true }) config: Record<string, unknown>;
  @ApiProperty({ description: 'Whether it is active (disabled by a disconnect)' }) enabled: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled automatically' }) disabled_reason: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', type: String, format: 'date-time' }) updated_at: string;
}

@ApiSchema({ description: 'A page of the organization\'s policies.' })
export class PolicyListDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [PolicyDto] }) results: PolicyDto[];
}

@ApiSchema({ description: 'Changes to a policy; omitted fields keep their value.' })
export class UpdatePolicyDto {
  @ApiPropertyOptional({ description: 'New name' }) @IsOmittable() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'A check of the provider, e.g. `branch_protection`', example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ description: 'An action of the provider, e.g. `notify`', example: 'notify' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ description: 'Settings of the policy (depends on the check or action)', type: 'object', additionalProperties: true }) @IsOmittable() @IsObject() config?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Enable (needs a connected integration) or disable' }) @IsOmittable() @IsBoolean() enabled?: boolean;
}

@ApiSchema({ description: 'Body of a new policy: a check or an action of a connected provider.' })
export class CreatePolicyDto {
  @ApiProperty({ description: 'Name', example: 'Protect main' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: 'A check of the provider, e.g. `branch_protection`', example: 'branch_protection' }) @IsOmittable() @IsString() @MaxLength(64) check?: string;
  @ApiPropertyOptional({ description: 'An action of the provider, e.g. `notify`', example: 'notify' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ description: 'Settings of the policy (depends on the check or action)', type: 'object', additionalProperties: true }) @IsOmittable() @IsObject() config?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Whether it is active', default: true }) @IsOmittable() @IsBoolean() enabled?: boolean;
  @ApiProperty({ description: 'Provider of the connected integration it uses', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) @IsEnum(IntegrationProvider) provider: IntegrationProvider;
  @ApiPropertyOptional({ description: 'Default: the first connected integration of the provider' })
  @IsOmittable() @IsInt64Id('integration_id must be a snowflake id')
  integration_id?: string;
}
