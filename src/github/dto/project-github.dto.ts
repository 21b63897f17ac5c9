import { IgnoresUnknownFields } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsString, MaxLength, ValidateIf } from 'class-validator';

/** A field DRF declares `allow_null`: absent and null both mean "not given". */
const IsOmittableOrNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined && value !== null);
/** DRF's CharField takes numbers as their decimal text. */
const numberAsText = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

/** GitHubLinkExistingRequestSerializer; DRF serializers ignore fields they do not declare. */
@ApiSchema({ description: 'GitHubLinkExistingRequestSerializer; DRF serializers ignore fields they do not declare.' })
@IgnoresUnknownFields()
export class LinkExistingDto {
  @ApiPropertyOptional({
    description: "The sibling project (PostHog's team) whose installation to reuse: the hub's project ids are uuids where PostHog's team ids are integers",
    format: 'uuid',
    nullable: true,
    type: String,
  })
  @IsOmittableOrNull()
  @IsString()
  @MaxLength(64)
  source_team_id?: string | null;
  @ApiPropertyOptional({ description: 'GitHub installation id to link (text or number); resolved within the organization when source_team_id is omitted', example: '12345', nullable: true, type: String })
  @IsOmittableOrNull()
  @Transform(numberAsText)
  @IsString()
  @MaxLength(64)
  installation_id?: string | null;
  @ApiPropertyOptional({ description: 'Discovery response id, for diagnostics only; grants nothing', format: 'uuid', nullable: true, type: String })
  @IsOmittableOrNull()
  @IsString()
  @MaxLength(64)
  discovery_id?: string | null;
}

/**
 * GitHubOAuthAuthorizeRequestSerializer's fields, read as upstream's view reads them: straight from the body, each
 * turned into text (`str(value or "")`), so nothing here is refused before the service checks it.
 */
@ApiSchema({ description: "GitHubOAuthAuthorizeRequestSerializer's fields, read as upstream's view reads them: straight from the body, each turned into text (`str(value or \"\")`), so nothing here is refused before the service checks it." })
@IgnoresUnknownFields()
export class OauthAuthorizeDto {
  @ApiPropertyOptional({ example: '12345', description: 'The GitHub installation the user OAuth is for (required; text or number)', type: String })
  @Allow()
  installation_id?: unknown;
  @ApiPropertyOptional({ example: '/project/1/settings', description: 'Relative URL to redirect to after the OAuth flow completes', type: String }) @Allow() next?: unknown;
  @ApiPropertyOptional({ enum: ['posthog_code'], description: "Originating surface for the connect flow; only 'posthog_code' is recognized, anything else is ignored", type: String })
  @Allow()
  connect_from?: unknown;
}

@ApiSchema({ description: 'A GitHub user OAuth URL.' })
export class OauthAuthorizeResponseDto {
  @ApiProperty({ example: 'https://github.com/login/oauth/authorize?client_id=Iv1.x&state=...', description: 'GitHub User OAuth URL the client should redirect to' }) oauth_url: string;
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
