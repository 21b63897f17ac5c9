import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** GitHub's simple-user object. */
@ApiSchema({ description: "GitHub's simple-user object." })
export class GithubUserDto {
  @ApiProperty({ description: 'GitHub login', example: 'octocat' }) login: string;
  @ApiProperty({ description: 'GitHub user id', example: 1 }) id: number;
  @ApiProperty({ description: "GitHub's URL" }) avatar_url: string;
  @ApiProperty({ description: "GitHub's field (empty)", example: '' }) gravatar_id: string;
  @ApiProperty({ description: "GitHub's API URL of the user" }) url: string;
  @ApiProperty({ description: 'Profile page' }) html_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) followers_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) following_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) gists_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) starred_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) subscriptions_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) organizations_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) repos_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) events_url: string;
  @ApiProperty({ description: "GitHub's API URL" }) received_events_url: string;
  @ApiProperty({ description: 'User or Bot', example: 'User' }) type: string;
  @ApiProperty({ description: 'Whether a GitHub staff or GHES site admin' }) site_admin: boolean;
}
