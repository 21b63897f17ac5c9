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
import type { HubError, HubErrorOptions } from '../common/hub-error';
import { ErrorCode } from '../common/error-codes';
import { exampleError } from './openapi.errors';
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

type Make = () => HubError;
const ex = (code: ErrorCode, message: string, options?: HubErrorOptions): Make => () => exampleError(code, message, options);

/**
 * What the hub's own face (and every face, for statuses it has no examples of its own for) shows per status:
 * one example per error code the status carries on these routes. Path-dependent 404s and 409s come from
 * NOT_FOUND_BY_PATH and CONFLICT_BY_PATH.
 */
const HUB_EXAMPLES: Record<number, Record<string, Make>> = {
  400: {
    validationFailed: () => validationFailed('name must be shorter than or equal to 200 characters', { details: [{ field: 'name', errors: ['name must be shorter than or equal to 200 characters'] }] }),
    malformedJson: () => malformedJson('Malformed JSON body: Unexpected end of JSON input'),
    organizationRequired: ex(ErrorCode.OrganizationRequired, 'X-Organization-Id header required: the user belongs to several organizations'),
  },
  401: { unauthenticated },
  403: { missingScope: () => missingScope('integration:write'), missingRole: () => missingRole(OrgRole.Admin) },
  404: { notFound: ex(ErrorCode.NotFound, 'Not found') },
  405: { methodNotAllowed: () => methodNotAllowed('PATCH') },
  409: { conflict: ex(ErrorCode.Conflict, 'The object changed meanwhile; read it again') },
  413: { payloadTooLarge: ex(ErrorCode.PayloadTooLarge, 'Request body is too large') },
  422: { unprocessableEntity: ex(ErrorCode.UnprocessableEntity, 'The request is well-formed but cannot be processed') },
  429: {
    tooManyFailedAuthentications: () => tooManyFailedAuthentications(60),
    providerRateLimited: () => providerRateLimited('GitHub API rate limit exceeded. Please retry later.', '60'),
  },
  502: {
    upstreamUnreachable: ex(ErrorCode.UpstreamUnreachable, 'The provider could not be reached: connect ECONNREFUSED'),
    providerError: ex(ErrorCode.ProviderError, 'The provider answered 500 Internal Server Error'),
  },
  503: {
    serviceUnavailable: ex(ErrorCode.ServiceUnavailable, 'The queue is unavailable; retry later', { headers: { 'Retry-After': '5' } }),
    githubNotConfigured: ex(ErrorCode.GithubNotConfigured, 'The GitHub App is not configured on this hub (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)'),
  },
  504: { upstreamTimeout: ex(ErrorCode.UpstreamTimeout, 'The provider did not answer within 30 seconds') },
};

/** The object a 404 is about, from the operation's path: each matching entry is one example. */
const NOT_FOUND_BY_PATH: Array<[RegExp, string, Make]> = [
  [/\{org_id\}/, 'organizationNotFound', ex(ErrorCode.OrganizationNotFound, 'Organization not found')],
  [/\{project_id\}/, 'projectNotFound', ex(ErrorCode.ProjectNotFound, 'Project not found')],
  [/\/members\//, 'memberNotFound', ex(ErrorCode.MemberNotFound, 'Member not found')],
  [/\/invites\/\{/, 'inviteNotFound', ex(ErrorCode.InviteNotFound, 'Invite not found')],
  [/\/personal_api_keys\/\{/, 'personalApiKeyNotFound', ex(ErrorCode.PersonalApiKeyNotFound, 'Personal API key not found')],
  [/\/policies\//, 'policyNotFound', ex(ErrorCode.PolicyNotFound, 'Policy not found')],
  [/\/policies$/, 'integrationNotFound', ex(ErrorCode.IntegrationNotFound, 'No connected integration for this provider')],
  [/\/webhooks\/\{/, 'webhookNotFound', ex(ErrorCode.WebhookNotFound, 'Webhook not found')],
  [/\/deliveries\/\{/, 'webhookDeliveryNotFound', ex(ErrorCode.WebhookDeliveryNotFound, 'Webhook delivery not found')],
  [/\/proxy_records\/\{/, 'proxyRecordNotFound', ex(ErrorCode.ProxyRecordNotFound, 'Proxy record not found')],
  [/\{integration_id\}/, 'integrationNotFound', ex(ErrorCode.IntegrationNotFound, 'Integration not found')],
  [/\{provider\}/, 'providerNotFound', ex(ErrorCode.ProviderNotFound, "Unknown provider 'pagerduty'")],
  [/\{provider\}\/(repos|health|disconnect)/, 'integrationNotFound', ex(ErrorCode.IntegrationNotFound, 'No integration of this provider in the workspace')],
  [/\/api\/integrations$/, 'organizationNotFound', ex(ErrorCode.OrganizationNotFound, 'Organization not found')],
  [/scan-(drift|inventory|results)/, 'scanNotFound', ex(ErrorCode.ScanNotFound, 'No completed scan yet')],
  [/scan-exemptions\/\{/, 'scanExemptionNotFound', ex(ErrorCode.ScanExemptionNotFound, 'Exemption not found')],
  [/scan-permissions/, 'githubNotConnected', ex(ErrorCode.GithubInstallationNotFound, 'No GitHub installation is connected')],
  [/public-key-records/, 'keyNotConfigured', ex(ErrorCode.DomainConnectKeyNotConfigured, 'No Domain Connect signing key is configured')],
];

/** What a 409 is about, from the operation's path. */
const CONFLICT_BY_PATH: Array<[RegExp, string, Make]> = [
  [/scan-(org|cancel)/, 'scanConflict', ex(ErrorCode.ScanConflict, 'A scan is already running for this organization')],
  [/scan-cancel/, 'scanNotRunning', ex(ErrorCode.ScanNotRunning, 'No scan is queued or running')],
  [/\/api\/integrations\/\{integration_id\}/, 'integrationNotConnected', ex(ErrorCode.IntegrationNotConnected, 'The integration is disconnected; reconnect it')],
  [/\/api\/proxy\//, 'integrationNotConnected', ex(ErrorCode.IntegrationNotConnected, 'The integration is disconnected; reconnect it')],
  [/\/api\/proxy\//, 'integrationError', ex(ErrorCode.IntegrationError, 'The integration is in error: the token could not be refreshed; reconnect it')],
  [/\/webhooks\/\{id\}\/(test|deliveries)/, 'webhookDisabled', ex(ErrorCode.WebhookDisabled, 'The webhook is disabled')],
  [/\/deliveries\/\{delivery_id\}\/retry/, 'webhookDeliveryInFlight', ex(ErrorCode.WebhookDeliveryInFlight, 'The delivery is being attempted right now')],
  [/\/proxy_records$/, 'proxyRecordExists', ex(ErrorCode.ProxyRecordExists, 'A proxy record for this domain exists')],
  [/access_requests/, 'accessRequestResolved', ex(ErrorCode.AccessRequestResolved, 'The access request is already resolved')],
  [/app-connections/, 'versionConflict', ex(ErrorCode.AppConnectionVersionConflict, 'The app connection changed meanwhile; read it again')],
];

function examplesFor(face: ErrorFace, path: string, status: number, scope: string | undefined): Record<string, Make> {
  const own = examplesOf(face, path, status);
  // A missing scope names the scope this operation requires.
  if (status === 403 && own.missingScope && scope && scope !== 'none') return { ...own, missingScope: () => missingScope(scope) };
  return own;
}

function examplesOf(face: ErrorFace, path: string, status: number): Record<string, Make> {
  const own = FACE_ERRORS[face]?.examples[status];
  if (own) return own;
  const byPath = status === 404 ? NOT_FOUND_BY_PATH : status === 409 ? CONFLICT_BY_PATH : [];
  const matched = Object.fromEntries(byPath.filter(([re]) => re.test(path)).map(([, name, make]) => [name, make]));
  return Object.keys(matched).length > 0 ? matched : (HUB_EXAMPLES[status] ?? {});
}

/** The error bodies of the faces: responses with another schema are left as they are. */
const ERROR_SCHEMAS: ReadonlySet<string> = new Set(['ErrorBodyDto', 'PosthogErrorDto', 'InfisicalErrorDto', 'InfisicalValidationErrorDto', 'GithubErrorDto', 'GithubPreviewErrorDto']);

type Operation = { responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }> } & Record<string, unknown>;

/**
 * Gives every error response of every operation its face's body schema and examples that are true for its status
 * (each rendered by the code that renders real responses, and marked with its catalog code in `x-error-code`).
 * Operations marked `x-error-dialect` are described in that dialect's shape; the others in the hub's.
 */
export function describeFaceErrors(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const face = (op['x-error-dialect'] as ErrorFace | undefined) ?? 'hub';
      const errors = FACE_ERRORS[face];
      for (const [status, response] of Object.entries(op.responses)) {
        const code = Number(status);
        if (!(code >= 400)) continue;
        const examples = Object.fromEntries(
          Object.entries(examplesFor(face, path, code, op['x-required-scope'] as string | undefined)).map(([name, make]) => {
            const error = make();
            const rendered = renderError(face, normalizeError(error, silentLogger), EXAMPLE_REQUEST_ID);
            // An example must be true for the status it stands under.
            if (rendered.status !== code) throw new Error(`${face} example ${name} answers ${rendered.status}, listed under ${code} (${path})`);
            return [name, { summary: `${error.code}: ${error.message}`.slice(0, 120), 'x-error-code': error.code, value: rendered.body }];
          }),
        );
        const existing = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
        // A probe's 503 is its own report (ReadinessDto), not an error body.
        if (existing && !(existing.$ref && ERROR_SCHEMAS.has(existing.$ref.split('/').pop() ?? ''))) continue;
        const schemaName = errors ? (code === 422 && errors.validationSchema ? errors.validationSchema : errors.schema) : face === 'github-preview' ? 'GithubPreviewErrorDto' : undefined;
        const schema = schemaName ? { $ref: `#/components/schemas/${schemaName}` } : (existing ?? { $ref: '#/components/schemas/ErrorBodyDto' });
        response.content = { 'application/json': { schema, ...(Object.keys(examples).length > 0 ? { examples } : {}) } };
      }
    }
  }
}
