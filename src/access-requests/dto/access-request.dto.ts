import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { IntegrationProvider } from '../../integrations/integration.enums';
import { AccessRequestResolution, AccessRequestStatus } from '../access-request.enums';
import { IsOmittable } from '../../common/validation';

@ApiSchema({ description: 'The member who asked.' })
export class AccessRequestUserDto {
  @ApiProperty({ description: "The user's id", format: 'uuid' }) id: string;
  @ApiProperty({ description: "The user's email" }) email: string;
  @ApiProperty({ description: "The user's name" }) name: string;
}

@ApiSchema({ description: "A member's request that an admin connect an integration." })
export class AccessRequestDto {
  @ApiProperty({ description: 'Id of the request', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The provider asked for', enum: IntegrationProvider, enumName: 'IntegrationProvider' }) kind: IntegrationProvider;
  @ApiProperty({ description: "The requester's reason" }) reason: string;
  @ApiProperty({ description: 'pending, approved or dismissed', enum: AccessRequestStatus, enumName: 'AccessRequestStatus' }) status: AccessRequestStatus;
  @ApiProperty({ description: "The admin's note on resolving", type: String, nullable: true }) note: string | null;
  @ApiProperty({ description: 'Who asked', type: AccessRequestUserDto }) requested_by: AccessRequestUserDto;
  @ApiProperty({ description: 'The admin who resolved it (user id)', type: String, format: 'uuid', nullable: true }) resolved_by: string | null;
  @ApiProperty({ description: 'When it was resolved', type: String, format: 'date-time', nullable: true }) resolved_at: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: "The project's access requests." })
export class AccessRequestListDto {
  @ApiProperty({ description: 'The items of this page', type: [AccessRequestDto] }) results: AccessRequestDto[];
}

@ApiSchema({ description: 'Filter access requests by status.' })
export class ListAccessRequestsQueryDto {
  @ApiPropertyOptional({ description: 'Only requests in this state', enum: AccessRequestStatus, enumName: 'AccessRequestStatus' })
  @IsOmittable() @IsEnum(AccessRequestStatus)
  status?: AccessRequestStatus;
}

@ApiSchema({ description: 'How an admin resolves an access request.' })
export class ResolveAccessRequestDto {
  @ApiProperty({ description: 'approved or dismissed', enum: AccessRequestResolution, enumName: 'AccessRequestResolution' })
  @IsEnum(AccessRequestResolution)
  status: AccessRequestResolution;

  @ApiPropertyOptional({ description: 'Note for the requester', maxLength: 2000 })
  @IsOmittable() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MaxLength(2000)
  note?: string;
}
