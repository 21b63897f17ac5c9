import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsDateString, IsString, IsUUID, MaxLength } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { IsOmittable } from '../../common/validation';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Audit log filters and paging.' })
export class AuditLogQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ description: 'Only this action', example: 'app_connection.create' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ description: 'Only this target (`type:id`)', example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a' }) @IsOmittable() @IsString() @MaxLength(255) target?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this user did' }) @IsOmittable() @IsUUID() actor?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time' }) @IsOmittable() @IsDateString() since?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time' }) @IsOmittable() @IsDateString() until?: string;
}

@ApiSchema({ description: 'One audited action.' })
export class AuditEntryDto {
  @ApiProperty({ description: 'Id of the entry', format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The user who acted' }) actor: string;
  @ApiProperty({ type: String, nullable: true, description: 'The API key the user acted with (`cli` for the admin CLI)' }) key_id: string | null;
  @ApiProperty({ description: 'What was done (`object.verb`)', example: 'app_connection.create' }) action: string;
  @ApiProperty({ description: 'What it was done to (`type:id`)', example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a' }) target: string;
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
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: 'One page of the audit log, newest first.' })
export class AuditLogPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [AuditEntryDto] }) results: AuditEntryDto[];
}
