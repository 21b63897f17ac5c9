import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ErrorCode } from '../error-codes';

/** The hub's standard error body. */
@ApiSchema({ description: "The hub's standard error body." })
export class ErrorBodyDto {
  @ApiProperty({ description: 'The HTTP status', example: 404 }) statusCode: number;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.ProjectNotFound, description: 'Stable machine-readable code (the catalog: each code has one status, see `x-status` on the ErrorCode schema)' })
  code: ErrorCode;
  @ApiProperty({ description: 'What went wrong, for people', example: 'Project not found' }) message: string;
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
@ApiSchema({ description: "PostHog's error body (project integrations face)." })
export class PosthogErrorDto {
  @ApiProperty({ description: 'DRF error type: validation_error, authentication_error, invalid_request, server_error, throttled_error', example: 'validation_error' }) type: string;
  @ApiProperty({ description: 'DRF code: invalid_input, required, not_authenticated, permission_denied, not_found, ...', example: 'invalid_input' }) code: string;
  @ApiProperty({ description: 'What went wrong', example: 'Kind not supported' }) detail: string;
  @ApiProperty({ description: 'The request field it is about, or null', type: String, nullable: true, example: 'kind' }) attr: string | null;
}

/** Infisical's error body (app connections face): `backend/src/server/plugins/error-handler.ts` upstream. */
@ApiSchema({ description: "Infisical's error body (app connections face): `backend/src/server/plugins/error-handler.ts` upstream." })
export class InfisicalErrorDto {
  @ApiProperty({ example: 'req-3f2a9c', description: 'Same as the X-Request-Id response header' }) reqId: string;
  @ApiProperty({ example: 404, description: 'The HTTP status' }) statusCode: number;
  @ApiProperty({ example: 'Could not find App Connection with ID 3c90c3cc-0d44-4b50-8888-8dd25736052a', description: 'What went wrong' }) message: string;
  @ApiProperty({ example: 'NotFound', description: "Infisical's error name: BadRequest, UnauthorizedError, PermissionDenied, ForbiddenError, NotFound, RateLimitExceeded, ..." })
  error: string;
}

/** One schema failure as zod reports it (`ZodIssue`): a zod code, a message and the path of the field. */
@ApiSchema({ description: 'One schema failure as zod reports it (`ZodIssue`): a zod code, a message and the path of the field.' })
export class InfisicalValidationIssueDto {
  @ApiProperty({ example: 'invalid_type', description: "zod's issue code: invalid_type, too_small, too_big, invalid_string, invalid_enum_value, invalid_literal, invalid_union_discriminator, custom, ..." })
  code: string;
  @ApiProperty({ description: "zod's message", example: 'Required' }) message: string;
  @ApiProperty({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, example: ['credentials', 'installationId'], description: 'Where in the input' })
  path: Array<string | number>;
  @ApiPropertyOptional({ example: 'number', description: 'invalid_type issues: the type the schema expects' })
  expected?: string;
  @ApiPropertyOptional({ example: 'undefined', description: 'invalid_type issues: the type the input has' })
  received?: string;
}

/** Infisical's 422: `error: "ValidationFailure"` and the zod issues as `message`. */
@ApiSchema({ description: "Infisical's 422: `error: \"ValidationFailure\"` and the zod issues as `message`." })
export class InfisicalValidationErrorDto {
  @ApiProperty({ example: 'req-3f2a9c', description: 'Same as the X-Request-Id response header' }) reqId: string;
  @ApiProperty({ description: 'Always 422', example: 422 }) statusCode: number;
  @ApiProperty({ type: [InfisicalValidationIssueDto], description: 'Every schema failure, in field order (other issue fields as zod sends them)' })
  message: InfisicalValidationIssueDto[];
  @ApiProperty({ description: 'Always `ValidationFailure`', example: 'ValidationFailure' }) error: string;
}

/** One entry of GitHub's validation `errors`. */
@ApiSchema({ description: "One entry of GitHub's validation `errors`." })
export class GithubValidationErrorItemDto {
  @ApiPropertyOptional({ description: 'The field', example: 'permissions.contents' }) field?: string;
  @ApiProperty({ description: "GitHub's error code: missing, invalid, already_exists, ...", example: 'invalid' }) code: string;
  @ApiPropertyOptional({ description: 'What is wrong with it', example: 'permissions.contents: must be read, write or admin' }) message?: string;
}

/** GitHub's error body (GitHub App routes); the request id is in `X-Request-Id` and `X-GitHub-Request-Id`. */
@ApiSchema({ description: "GitHub's error body (GitHub App routes); the request id is in `X-Request-Id` and `X-GitHub-Request-Id`." })
export class GithubErrorDto {
  @ApiProperty({ description: 'What went wrong', example: 'Not Found' }) message: string;
  @ApiProperty({ description: "Link to GitHub's documentation of the operation", example: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' }) documentation_url: string;
  @ApiPropertyOptional({ type: [GithubValidationErrorItemDto], description: 'Validation failures (422)' }) errors?: GithubValidationErrorItemDto[];
}

/** The 2016 preview routes' error body: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields. */
@ApiSchema({ description: "The 2016 preview routes' error body: GitHub's `{message, documentation_url}` (what octokit reads) with the hub's fields." })
export class GithubPreviewErrorDto extends ErrorBodyDto {
  @ApiProperty({ description: "Link to GitHub's documentation of the operation", example: 'https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app' }) documentation_url: string;
}
