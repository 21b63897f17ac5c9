import type { OpenAPIObject } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { connectionNotFound, duplicateConnectionName, projectNotFoundForConnection } from '../app-connections/app-connections.errors';
import { CreateGithubConnectionDto } from '../app-connections/dto/github-connection-input.dto';
import { credentialsMissing, missingRole, missingScope, tooManyFailedAuthentications, unauthenticated } from '../auth/auth.errors';
import { OrgRole } from '../auth/roles';
import { malformedJson, methodNotAllowed, providerRateLimited, validationFailed } from '../common/common.errors';
import type { ErrorFace } from '../common/error-faces';
import { normalizeError, renderError } from '../common/error-faces';
import type { HubError } from '../common/hub-error';
import { toValidationIssues } from '../common/validation';
import {
  githubOnlyEndpoint,
  installationAccessDenied,
  installationNotFound,
  installationSuspended,
  installationTokenUnknown,
  invalidPermissionLevel,
  repoFormatInvalid,
  setupStateInvalid,
  sourceTeamOrInstallationRequired,
  tooManyRepositories,
} from '../github/github.errors';
import { CreateProjectIntegrationDto } from '../integrations/dto/project-integration.dto';
import { integrationNotFound, integrationOverwriteForbidden, kindNotSupported } from '../integrations/integrations.errors';

const EXAMPLE_ID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const EXAMPLE_REQUEST_ID = 'b5f8e8a2-6f0e-4d39-9a8f-3b1e2d7c9f10';

/** The real schema failure of a body, as the validation pipe reports it. */
function schemaFailure(dto: new () => object, body: Record<string, unknown>): HubError {
  const issues = toValidationIssues(validateSync(plainToInstance(dto, body), { validationError: { target: true, value: true } }));
  return validationFailed('Invalid request body', { issues });
}

interface FaceErrors {
  /** The component schema of the face's error body, and of its 422 when that differs. */
  schema: string;
  validationSchema?: string;
  /** Errors the face's operations can answer, by status: each becomes an example rendered by the face itself. */
  examples: Record<number, Record<string, () => HubError>>;
}

/**
 * Dialects whose error bodies differ from the hub's: their operations' error responses are described in the
 * dialect's shape, with one example per error, each rendered by the same code that renders real responses.
 */
const FACE_ERRORS: Partial<Record<ErrorFace, FaceErrors>> = {
  posthog: {
    schema: 'PosthogErrorDto',
    examples: {
      400: {
        required: () => schemaFailure(CreateProjectIntegrationDto, { config: {} }),
        invalidChoice: () => schemaFailure(CreateProjectIntegrationDto, { kind: 'pagerduty', config: {} }),
        parseError: () => malformedJson('Malformed JSON body: Unexpected token } in JSON at position 9'),
        kindNotSupported,
        githubOnlyEndpoint: () => githubOnlyEndpoint('github_repos'),
        repoFormatInvalid,
        sourceTeamOrInstallationRequired,
        invalidState: setupStateInvalid,
      },
      401: { notAuthenticated: credentialsMissing, authenticationFailed: unauthenticated },
      403: { missingScope: () => missingScope('integration:write'), notProjectAdmin: () => missingRole(OrgRole.Admin), overwriteNeedsAdmin: integrationOverwriteForbidden },
      404: { notFound: integrationNotFound },
      405: { methodNotAllowed: () => methodNotAllowed('PATCH') },
      429: { throttled: () => tooManyFailedAuthentications(60), githubRateLimited: () => providerRateLimited('GitHub API rate limit exceeded. Please retry later.', '60') },
    },
  },
  github: {
    schema: 'GithubErrorDto',
    examples: {
      400: { problemsParsingJson: () => malformedJson('Malformed JSON body: Unexpected end of JSON input') },
      401: { requiresAuthentication: credentialsMissing, badCredentials: unauthenticated, installationTokenUnknown },
      403: { missingScope: () => missingScope('integration:write'), installationSuspended },
      404: { notFound: () => installationNotFound('1') },
      422: {
        validationFailed: () => validationFailed('repositories: repositories must be an array', { details: [{ field: 'repositories', errors: ['repositories must be an array'] }] }),
        invalidPermissionLevel: () => invalidPermissionLevel('contents'),
        tooManyRepositories: () => tooManyRepositories(500),
      },
      429: { tooManyFailedAuthentications: () => tooManyFailedAuthentications(60), providerRateLimited: () => providerRateLimited('GitHub API rate limit exceeded. Please retry later.', '60') },
    },
  },
  infisical: {
    schema: 'InfisicalErrorDto',
    validationSchema: 'InfisicalValidationErrorDto',
    examples: {
      400: { projectNotFound: () => projectNotFoundForConnection('not-a-project'), nameTaken: () => duplicateConnectionName('my-github-connection') },
      401: { tokenMissing: credentialsMissing, invalidKey: unauthenticated },
      403: { missingScope: () => missingScope('integration:write'), missingRole: () => missingRole(OrgRole.Admin), installationAccessDenied },
      404: { connectionNotFound: () => connectionNotFound(EXAMPLE_ID) },
      422: { validationFailure: () => schemaFailure(CreateGithubConnectionDto, { method: 'github-app', name: 'My Connection' }) },
      429: { tooManyFailedAuthentications: () => tooManyFailedAuthentications(60), providerRateLimited: () => providerRateLimited('GitHub API rate limit exceeded. Please retry later.', '60') },
    },
  },
};

const silentLogger = { error: () => undefined } as unknown as Parameters<typeof normalizeError>[1];

type Operation = { responses?: Record<string, { description?: string; content?: Record<string, unknown> }> } & Record<string, unknown>;

/** Rewrites the error responses of every operation marked `x-error-dialect` with that dialect's schema and examples. */
export function describeFaceErrors(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      const face = op && typeof op === 'object' ? (op['x-error-dialect'] as ErrorFace | undefined) : undefined;
      const errors = face ? FACE_ERRORS[face] : undefined;
      if (!face || !errors || !op.responses) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        const code = Number(status);
        if (code < 400) continue;
        const schema = code === 422 && errors.validationSchema ? errors.validationSchema : errors.schema;
        const examples = Object.fromEntries(
          Object.entries(errors.examples[code] ?? {}).map(([name, make]) => {
            const rendered = renderError(face, normalizeError(make(), silentLogger), EXAMPLE_REQUEST_ID);
            // An example must be true for the status it stands under.
            if (rendered.status !== code) throw new Error(`${face} example ${name} answers ${rendered.status}, listed under ${code}`);
            return [name, { value: rendered.body }];
          }),
        );
        response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` }, ...(Object.keys(examples).length > 0 ? { examples } : {}) } };
      }
    }
  }
}
