import { ApiProperty } from '@nestjs/swagger';

/** GitHub's simple-user object. */
export class GithubUserDto {
  @ApiProperty({ example: 'octocat' }) login: string;
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty() avatar_url: string;
  @ApiProperty({ example: '' }) gravatar_id: string;
  @ApiProperty() url: string;
  @ApiProperty() html_url: string;
  @ApiProperty() followers_url: string;
  @ApiProperty() following_url: string;
  @ApiProperty() gists_url: string;
  @ApiProperty() starred_url: string;
  @ApiProperty() subscriptions_url: string;
  @ApiProperty() organizations_url: string;
  @ApiProperty() repos_url: string;
  @ApiProperty() events_url: string;
  @ApiProperty() received_events_url: string;
  @ApiProperty({ example: 'User' }) type: string;
  @ApiProperty() site_admin: boolean;
}
