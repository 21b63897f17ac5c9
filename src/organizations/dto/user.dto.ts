import { ApiProperty } from '@nestjs/swagger';
import { OrgRole } from '../../auth/roles';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class UserOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: [UserOrganizationDto] }) organizations: UserOrganizationDto[];
  @ApiProperty({ type: [String], description: 'Scopes of the key making this call' }) scopes: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) scoped_organization_id: string | null;
}
