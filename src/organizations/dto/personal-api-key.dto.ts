import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsEnum, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { ApiScope } from '../../auth/roles';
import { IsOmittable } from '../../common/validation';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Body of a new personal API key.' })
export class CreatePersonalApiKeyDto {
  @ApiProperty({ description: 'A name for the key', minLength: 1, maxLength: 128, example: 'ci-token-broker' })
  @IsString() @Length(1, 128)
  label: string;

  @ApiProperty({ description: 'Scopes, at most those of the calling key', enum: ApiScope, enumName: 'ApiScope', isArray: true, example: ['integration:read'] })
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

  @ApiPropertyOptional({ description: 'When it stops working (none by default)', format: 'date-time' })
  @IsOmittable() @IsDateString()
  expires_at?: string;
}

@ApiSchema({ description: 'A personal API key, without its value.' })
export class PersonalApiKeyDto {
  @ApiProperty({ description: 'Id of the key', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its name' }) label: string;
  @ApiProperty({ description: 'Its scopes', enum: ApiScope, enumName: 'ApiScope', isArray: true }) scopes: string[];
  @ApiProperty({ example: 'ihk_...a1b2', description: 'Prefix and last four characters' }) mask_value: string;
  @ApiProperty({ description: 'The organization the key is pinned to, or null', type: String, format: 'uuid', nullable: true }) scoped_organization_id: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The organization the key was created in: used when a request names none (no X-Organization-Id)',
  })
  default_organization_id: string | null;
  @ApiProperty({ description: 'When it stops working, or null', type: String, format: 'date-time', nullable: true }) expires_at: string | null;
  @ApiProperty({ description: 'When it was last used (updated at most once a minute)', type: String, format: 'date-time', nullable: true }) last_used_at: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: 'A personal API key with its value, shown once.' })
export class PersonalApiKeyWithValueDto extends PersonalApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response.', example: 'ihk_Yk3...' }) value: string;
}

@ApiSchema({ description: "A page of the caller's personal API keys." })
export class PersonalApiKeyPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [PersonalApiKeyDto] }) results: PersonalApiKeyDto[];
}
