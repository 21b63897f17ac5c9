import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { LimitOffsetQueryDto } from '../../common/dto/pagination.dto';
import { IsOmittable } from '../../common/validation';

export class AuditLogQueryDto extends LimitOffsetQueryDto {
  @ApiPropertyOptional({ example: 'app_connection.create' }) @IsOmittable() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a' }) @IsOmittable() @IsString() @MaxLength(255) target?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The user who acted' }) actor: string;
  @ApiProperty({ type: String, nullable: true, description: 'The API key the user acted with' }) key_id: string | null;
  @ApiProperty({ example: 'app_connection.create' }) action: string;
  @ApiProperty({ example: 'app_connection:3c90c3cc-0d44-4b50-8888-8dd25736052a' }) target: string;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that acted' }) request_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AuditLogPageDto {
  @ApiProperty() count: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [AuditEntryDto] }) results: AuditEntryDto[];
}
