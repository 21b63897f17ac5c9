import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsString, IsUUID, MaxLength } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { IsOmittable } from '../../common/validation';

export class AuditLogQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ example: 'app_connection.create', description: 'Only this action' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a', description: 'Only entries about this object' })
  @IsOmittable() @IsString() @MaxLength(255)
  target?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this user did' }) @IsOmittable() @IsUUID() actor?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time' }) @IsOmittable() @IsDateString() since?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time' }) @IsOmittable() @IsDateString() until?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The user who acted' }) actor: string;
  @ApiProperty({ type: String, nullable: true, description: 'The API key the user acted with (`cli` for the admin CLI)' }) key_id: string | null;
  @ApiProperty({ example: 'app_connection.create' }) action: string;
  @ApiProperty({ example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a' }) target: string;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that acted' }) request_id: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: "The client's address (behind a proxy only with TRUST_PROXY); null from the CLI" })
  ip: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { role: { old: 'member', new: 'admin' } },
    description: 'Non-secret fields: `{field: {old, new}}` for a change, `{field: value}` for what was created; never secrets',
  })
  changes: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AuditLogPageDto {
  @ApiProperty() count: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: String, nullable: true, description: 'Path and query of the next page, null on the last page' }) next: string | null;
  @ApiProperty({ type: [AuditEntryDto] }) results: AuditEntryDto[];
}
