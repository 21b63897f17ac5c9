import { IgnoresUnknownFields } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';

/** DRF serializers ignore fields they do not declare. */
@IgnoresUnknownFields()
export class LinkExistingDto {
  @ApiPropertyOptional({ description: 'The sibling project (PostHog team) whose installation to reuse', format: 'uuid' })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  source_team_id?: string;
  @ApiPropertyOptional({ description: 'Which installation, when several are linked', example: 12345 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  installation_id?: number;
}

/** DRF serializers ignore fields they do not declare. */
@IgnoresUnknownFields()
export class OauthAuthorizeDto {
  @ApiProperty({ example: '12345', description: 'The GitHub installation the user OAuth is for' })
  @IsOmittable()
  @IsString()
  @MaxLength(20)
  installation_id?: string;
  @ApiPropertyOptional({ example: '/project/1/settings' }) @IsOmittable() @IsString() @MaxLength(2048) next?: string;
}

export class OauthAuthorizeResponseDto {
  @ApiProperty({ example: 'https://github.com/login/oauth/authorize?client_id=Iv1.x&state=...' }) oauth_url: string;
}

/** PostHog's integration object for a GitHub integration. */
export class AvailableInstallationDto {
  @ApiProperty({ example: '12345' }) installation_id: string;
  @ApiProperty({ example: 'acme' }) account_login: string;
  @ApiProperty({ example: 'Organization' }) account_type: string;
  @ApiProperty({ type: [String], description: 'Sibling projects already using it' }) project_ids: string[];
}

export class AvailableInstallationsDto {
  @ApiProperty({ type: [AvailableInstallationDto] }) results: AvailableInstallationDto[];
}
