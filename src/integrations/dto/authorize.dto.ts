import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IgnoresUnknownFields, IsOmittable } from '../../common/validation';

@ApiSchema({ description: 'What the browser flow is for and where it ends.' })
export class AuthorizeQueryDto {
  @ApiProperty({ description: 'Integration kind (github, slack, gitlab, jira, discord, teams)', example: 'slack' })
  @IsString() @MaxLength(32)
  kind: string;

  @ApiPropertyOptional({ description: 'Relative path to return to after the flow', example: '/project/1/integrations' })
  @IsOmittable() @IsString() @MaxLength(2048)
  next?: string;
}

/**
 * The provider's redirect back: every field is optional because providers send different ones, and any other
 * parameter a provider adds (Microsoft's `session_state`, RFC 9207 `iss`, `error_uri`, ...) is ignored.
 */
@ApiSchema({ description: "The provider's redirect back: every field is optional because providers send different ones, and any other parameter a provider adds (Microsoft's `session_state`, RFC 9207 `iss`, `error_uri`, ...) is ignored." })
@IgnoresUnknownFields()
export class CallbackQueryDto {
  @ApiPropertyOptional({ description: 'Authorization code from the provider' }) @IsOmittable() @IsString() @MaxLength(2048) code?: string;
  @ApiPropertyOptional({ description: 'The single-use state minted by authorize' }) @IsOmittable() @IsString() @MaxLength(256) state?: string;
  @ApiPropertyOptional({ description: 'GitHub App installation id' }) @IsOmittable() @IsString() @MaxLength(32) installation_id?: string;
  @ApiPropertyOptional({ description: 'GitHub: install, update or request' }) @IsOmittable() @IsString() @MaxLength(32) setup_action?: string;
  @ApiPropertyOptional({ description: 'Discord: the server the user picked (webhook.incoming and bot scopes)' }) @IsOmittable() @IsString() @MaxLength(32) guild_id?: string;
  @ApiPropertyOptional({ description: 'Discord: the bot permissions granted (bot scope)' }) @IsOmittable() @IsString() @MaxLength(32) permissions?: string;
  @ApiPropertyOptional({ description: 'Provider-reported error (the user denied access, ...)' }) @IsOmittable() @IsString() @MaxLength(256) error?: string;
  @ApiPropertyOptional({ description: "The provider's reason when consent was denied" }) @IsOmittable() @IsString() @MaxLength(2048) error_description?: string;
}
