import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { IntegrationProvider } from '../../integrations/integration.enums';
import { AccessRequestResolution, AccessRequestStatus } from '../access-request.enums';
import { IsOmittable } from '../../common/validation';

export class AccessRequestUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
}

export class AccessRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: IntegrationProvider, enumName: 'IntegrationProvider' }) kind: IntegrationProvider;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: AccessRequestStatus, enumName: 'AccessRequestStatus' }) status: AccessRequestStatus;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: AccessRequestUserDto }) requested_by: AccessRequestUserDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) resolved_by: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolved_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AccessRequestListDto {
  @ApiProperty({ type: [AccessRequestDto] }) results: AccessRequestDto[];
}

export class ListAccessRequestsQueryDto {
  @ApiPropertyOptional({ enum: AccessRequestStatus, enumName: 'AccessRequestStatus' })
  @IsOmittable() @IsEnum(AccessRequestStatus)
  status?: AccessRequestStatus;
}

export class ResolveAccessRequestDto {
  @ApiProperty({ enum: AccessRequestResolution, enumName: 'AccessRequestResolution' })
  @IsEnum(AccessRequestResolution)
  status: AccessRequestResolution;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOmittable() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MaxLength(2000)
  note?: string;
}
