import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../error-codes';

/** The hub's standard error body. */
export class ErrorBodyDto {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.ProjectNotFound, description: 'Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)' })
  code: ErrorCode;
  @ApiProperty({ example: 'Project not found' }) message: string;
  @ApiPropertyOptional({
    example: 'GitHub API rate limit exceeded. Please retry later.',
    description: 'Same text as message; present on 429 responses with code `rate_limited` (a provider rate limit), whose Retry-After header says when to retry',
  })
  detail?: string;
  @ApiPropertyOptional({ description: 'Field-level details (validation errors)', type: 'array', items: { type: 'object', additionalProperties: true } })
  details?: unknown;
  @ApiProperty({ example: 'b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10', description: 'Same as the X-Request-Id response header' })
  requestId: string;
}

/** PostHog's error body (project integrations face). */
export class PosthogErrorDto {
  @ApiProperty({ example: 'validation_error' }) type: string;
  @ApiProperty({ example: 'invalid_input' }) code: string;
  @ApiProperty({ example: 'Kind not supported' }) detail: string;
  @ApiProperty({ type: String, nullable: true, example: 'kind' }) attr: string | null;
}

/** Infisical's error body (app connections face). */
export class InfisicalErrorDto {
  @ApiProperty({ example: 'req-3f2a9c' }) reqId: string;
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'name: must be a lowercase slug' }) message: string;
  @ApiProperty({ example: 'ValidationFailure' }) error: string;
}

/** The GitHub broker's error body: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields. */
export class GithubErrorDto extends ErrorBodyDto {
  @ApiProperty({ example: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' }) documentation_url: string;
}
