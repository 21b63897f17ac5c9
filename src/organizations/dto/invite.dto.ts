import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsString, Length } from 'class-validator';
import { OrgRole } from '../../auth/roles';
import { OrganizationDto } from './organization.dto';
import { UserDto } from './user.dto';

export class CreateInviteDto {
  @ApiProperty({ example: 'dev@example.com' }) @IsEmail({ require_tld: false }) @Length(3, 320) email: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) @IsEnum(OrgRole) role: OrgRole;
}

export class InviteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) accepted_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreatedInviteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ description: 'One-time token; shown only here (and emailed when SMTP is configured)' }) token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

export class AcceptInviteDto {
  @ApiProperty() @IsString() @Length(16, 256) token: string;
  @ApiProperty({ minLength: 1, maxLength: 128, example: 'Ada Lovelace' }) @IsString() @Length(1, 128) name: string;
}

export class AcceptedKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ description: 'The key itself; shown only in this response' }) value: string;
}

export class AcceptedInviteDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ type: AcceptedKeyDto }) personal_api_key: AcceptedKeyDto;
}
