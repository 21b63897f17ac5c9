import { IgnoresUnknownFields } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';

/** DRF serializers ignore fields they do not declare. */
@ApiSchema({ description: 'DRF serializers ignore fields they do not declare.' })
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
@ApiSchema({ description: 'DRF serializers ignore fields they do not declare.' })
@IgnoresUnknownFields()
export class OauthAuthorizeDto {
  @ApiProperty({ example: '12345', description: 'The GitHub installation the user OAuth is for' })
  @IsOmittable()
  @IsString()
  @MaxLength(20)
  installation_id?: string;
  @ApiPropertyOptional({ description: 'Path on this hub where the flow ends', example: '/project/1/settings' }) @IsOmittable() @IsString() @MaxLength(2048) next?: string;
}

@ApiSchema({ description: 'A GitHub user OAuth URL.' })
export class OauthAuthorizeResponseDto {
  @ApiProperty({ description: 'Open this in a browser', example: 'https://github.com/login/oauth/authorize?client_id=Iv1.x&state=...' }) oauth_url: string;
}

/** PostHog's integration object for a GitHub integration. */
@ApiSchema({ description: "PostHog's integration object for a GitHub integration." })
export class AvailableInstallationDto {
  @ApiProperty({ description: 'GitHub installation id', example: '12345' }) installation_id: string;
  @ApiProperty({ description: 'Account it is installed on', example: 'acme' }) account_login: string;
  @ApiProperty({ description: 'Organization or User', example: 'Organization' }) account_type: string;
  @ApiProperty({ type: [String], description: 'Sibling projects already using it' }) project_ids: string[];
}

@ApiSchema({ description: 'Installations of sibling projects that can be linked.' })
export class AvailableInstallationsDto {
  @ApiProperty({ description: 'The items of this page', type: [AvailableInstallationDto] }) results: AvailableInstallationDto[];
}
