import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OrgRole } from '../../auth/roles';

@ApiSchema({ description: 'A user.' })
export class UserDto {
  @ApiProperty({ description: "The user's id", format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Email address' }) email: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: 'An organization of the user and their role in it.' })
export class UserOrganizationDto {
  @ApiProperty({ description: 'Id of the organization', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its name' }) name: string;
  @ApiProperty({ description: "The user's role in it", enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
}

@ApiSchema({ description: 'The calling user and key.' })
export class MeDto extends UserDto {
  @ApiProperty({ description: "The user's organizations and roles", type: [UserOrganizationDto] }) organizations: UserOrganizationDto[];
  @ApiProperty({ type: [String], description: 'Scopes of the key making this call' }) scopes: string[];
  @ApiProperty({ description: 'The organization the key is pinned to, or null', type: String, format: 'uuid', nullable: true }) scoped_organization_id: string | null;
}
