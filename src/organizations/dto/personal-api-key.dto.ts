import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsEnum, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { ApiScope } from '../../auth/roles';
import { IsOmittable } from '../../common/validation';

export class CreatePersonalApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 128, example: 'ci-token-broker' })
  @IsString() @Length(1, 128)
  label: string;

  @ApiProperty({ enum: ApiScope, enumName: 'ApiScope', isArray: true, example: ['integration:read'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(16) @IsEnum(ApiScope, { each: true })
  scopes: ApiScope[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Pin the key to one organization' })
  @IsOmittable() @IsUUID()
  scoped_organization_id?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The organization the key acts on when a request sends no X-Organization-Id (the header still chooses another). ' +
      "Defaults to the pin, else the creating key's own, else the user's only organization; null: none, every request " +
      'of a user with several organizations must send the header',
  })
  @ValidateIf((_object, value) => value !== undefined && value !== null) @IsUUID()
  default_organization_id?: string | null;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOmittable() @IsDateString()
  expires_at?: string;
}

export class PersonalApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ApiScope, enumName: 'ApiScope', isArray: true }) scopes: string[];
  @ApiProperty({ example: 'ihk_...a1b2', description: 'Prefix and last four characters' }) mask_value: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) scoped_organization_id: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The organization the key was created in: used when a request names none (no X-Organization-Id)',
  })
  default_organization_id: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_used_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class PersonalApiKeyWithValueDto extends PersonalApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response.', example: 'ihk_Yk3...' }) value: string;
}
