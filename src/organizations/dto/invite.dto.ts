import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsString, Length } from 'class-validator';
import { OrgRole } from '../../auth/roles';
import { OrganizationDto } from './organization.dto';
import { UserDto } from './user.dto';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Body of an invite.' })
export class CreateInviteDto {
  @ApiProperty({ description: 'Who to invite', example: 'dev@example.com' }) @IsEmail({ require_tld: false }) @Length(3, 320) email: string;
  @ApiProperty({ description: 'Role they get (owner only by owners)', enum: OrgRole, enumName: 'OrgRole' }) @IsEnum(OrgRole) role: OrgRole;
}

@ApiSchema({ description: 'An invite (never its token).' })
export class InviteDto {
  @ApiProperty({ description: 'Id of the invite', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Invited address' }) email: string;
  @ApiProperty({ description: 'Role they get', enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ description: 'When the token lapses (7 days)', format: 'date-time' }) expires_at: string;
  @ApiProperty({ description: 'When it was accepted, or null', type: String, format: 'date-time', nullable: true }) accepted_at: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: 'A new invite with its one-time token.' })
export class CreatedInviteDto {
  @ApiProperty({ description: 'Id of the invite', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Invited address' }) email: string;
  @ApiProperty({ description: 'Role they get', enum: OrgRole, enumName: 'OrgRole' }) role: OrgRole;
  @ApiProperty({ description: 'One-time token; shown only here (and emailed when SMTP is configured)' }) token: string;
  @ApiProperty({ description: 'When the token lapses (7 days)', format: 'date-time' }) expires_at: string;
}

@ApiSchema({ description: 'Body of an invite acceptance.' })
export class AcceptInviteDto {
  @ApiProperty({ description: 'The one-time invite token' }) @IsString() @Length(16, 256) token: string;
  @ApiProperty({ description: "The invitee's name", minLength: 1, maxLength: 128, example: 'Ada Lovelace' }) @IsString() @Length(1, 128) name: string;
}

@ApiSchema({ description: "The invitee's first API key, with its value." })
export class AcceptedKeyDto {
  @ApiProperty({ description: 'Id of the key', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its name' }) label: string;
  @ApiProperty({ description: 'Its scopes (everything the role allows)', type: [String] }) scopes: string[];
  @ApiProperty({ description: 'The key itself; shown only in this response' }) value: string;
}

@ApiSchema({ description: 'Outcome of an accepted invite.' })
export class AcceptedInviteDto {
  @ApiProperty({ description: 'The user', type: UserDto }) user: UserDto;
  @ApiProperty({ description: 'The organization joined', type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ description: 'The first API key, with its value', type: AcceptedKeyDto }) personal_api_key: AcceptedKeyDto;
}

@ApiSchema({ description: "A page of an organization's invites." })
export class InvitePageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [InviteDto] }) results: InviteDto[];
}
