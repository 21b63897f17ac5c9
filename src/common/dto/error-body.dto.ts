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

/** Infisical's error body (app connections face): `backend/src/server/plugins/error-handler.ts` upstream. */
export class InfisicalErrorDto {
  @ApiProperty({ example: 'req-3f2a9c', description: 'Same as the X-Request-Id response header' }) reqId: string;
  @ApiProperty({ example: 404, description: 'The HTTP status' }) statusCode: number;
  @ApiProperty({ example: 'Could not find App Connection with ID 3c90c3cc-0d44-4b50-8888-8dd25736052a', description: 'What went wrong' }) message: string;
  @ApiProperty({ example: 'NotFound', description: "Infisical's error name: BadRequest, UnauthorizedError, PermissionDenied, ForbiddenError, NotFound, RateLimitExceeded, ..." })
  error: string;
}

/** One schema failure as zod reports it (`ZodIssue`): a zod code, a message and the path of the field. */
export class InfisicalValidationIssueDto {
  @ApiProperty({ example: 'invalid_type', description: "zod's issue code: invalid_type, too_small, too_big, invalid_string, invalid_enum_value, invalid_literal, invalid_union_discriminator, custom, ..." })
  code: string;
  @ApiProperty({ example: 'Required' }) message: string;
  @ApiProperty({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, example: ['credentials', 'installationId'], description: 'Where in the input' })
  path: Array<string | number>;
  @ApiPropertyOptional({ example: 'number', description: 'invalid_type issues: the type the schema expects' })
  expected?: string;
  @ApiPropertyOptional({ example: 'undefined', description: 'invalid_type issues: the type the input has' })
  received?: string;
}

/** Infisical's 422: `error: "ValidationFailure"` and the zod issues as `message`. */
export class InfisicalValidationErrorDto {
  @ApiProperty({ example: 'req-3f2a9c', description: 'Same as the X-Request-Id response header' }) reqId: string;
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ type: [InfisicalValidationIssueDto], description: 'Every schema failure, in field order (other issue fields as zod sends them)' })
  message: InfisicalValidationIssueDto[];
  @ApiProperty({ example: 'ValidationFailure' }) error: string;
}

/** One entry of GitHub's validation `errors`. */
export class GithubValidationErrorItemDto {
  @ApiPropertyOptional({ example: 'permissions.contents' }) field?: string;
  @ApiProperty({ example: 'invalid' }) code: string;
  @ApiPropertyOptional({ example: 'permissions.contents: must be read, write or admin' }) message?: string;
}

/** GitHub's error body (GitHub App routes); the request id is in `X-Request-Id` and `X-GitHub-Request-Id`. */
export class GithubErrorDto {
  @ApiProperty({ example: 'Not Found' }) message: string;
  @ApiProperty({ example: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' }) documentation_url: string;
  @ApiPropertyOptional({ type: [GithubValidationErrorItemDto], description: 'Validation failures (422)' }) errors?: GithubValidationErrorItemDto[];
}

/** The 2016 preview routes' error body: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields. */
export class GithubPreviewErrorDto extends ErrorBodyDto {
  @ApiProperty({ example: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' }) documentation_url: string;
}
