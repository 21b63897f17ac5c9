import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEnum, IsString, Length } from 'class-validator';
import { OrgRole } from '../../auth/roles';
import { IsOmittable } from '../../common/validation';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Body of a new organization.' })
export class CreateOrganizationDto {
  @ApiProperty({ description: 'Name', minLength: 1, maxLength: 128, example: 'Acme' }) @IsString() @Length(1, 128) name: string;
}

@ApiSchema({ description: 'Changes to an organization.' })
export class UpdateOrganizationDto {
  @ApiPropertyOptional({ description: 'New name', minLength: 1, maxLength: 128 }) @IsOmittable() @IsString() @Length(1, 128) name?: string;
}

@ApiSchema({ description: 'Confirmation for deleting an organization: its name, exactly.' })
export class DeleteOrganizationDto {
  @ApiProperty({ maxLength: 128, description: "The organization's name, exactly: deleting removes everything it owns" })
  @IsString() @Length(0, 128)
  confirm: string;
}

@ApiSchema({ description: 'An organization.' })
export class OrganizationDto {
  @ApiProperty({ description: 'Id of the organization', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole', description: "The caller's role in this organization" }) membership_role: OrgRole;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', format: 'date-time' }) updated_at: string;
}

@ApiSchema({ description: 'The member user.' })
export class MemberUserDto {
  @ApiProperty({ description: "The user's id", format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Email address' }) email: string;
  @ApiProperty({ description: 'Name' }) name: string;
}

@ApiSchema({ description: 'A member of an organization and their role.' })
export class MemberDto {
  @ApiProperty({ description: 'The user', type: MemberUserDto }) user: MemberUserDto;
  @ApiProperty({ description: 'Their role', enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ description: 'When they joined', format: 'date-time' }) joined_at: string;
}

@ApiSchema({ description: "A member's new role." })
export class UpdateMemberDto {
  @ApiProperty({ description: 'The new role', enum: OrgRole, enumName: 'OrgRole' }) @IsEnum(OrgRole) role: OrgRole;
}

@ApiSchema({ description: "A page of the caller's organizations." })
export class OrganizationPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [OrganizationDto] }) results: OrganizationDto[];
}

@ApiSchema({ description: "A page of an organization's members." })
export class MemberPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [MemberDto] }) results: MemberDto[];
}
