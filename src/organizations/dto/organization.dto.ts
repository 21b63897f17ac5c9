import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, Length } from 'class-validator';
import { OrgRole } from '../../auth/roles';
import { IsOmittable } from '../../common/validation';

export class CreateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 128, example: 'Acme' }) @IsString() @Length(1, 128) name: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 128 }) @IsOmittable() @IsString() @Length(1, 128) name?: string;
}

export class DeleteOrganizationDto {
  @ApiProperty({ maxLength: 128, description: "The organization's name, exactly: deleting removes everything it owns" })
  @IsString() @Length(0, 128)
  confirm: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole', description: "The caller's role in this organization" }) membership_role: OrgRole;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class MemberUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
}

export class MemberDto {
  @ApiProperty({ type: MemberUserDto }) user: MemberUserDto;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ format: 'date-time' }) joined_at: string;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) @IsEnum(OrgRole) role: OrgRole;
}
