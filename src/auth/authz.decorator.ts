import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { ApiScope, OrgRole, Permission } from './roles';

export const AUTHZ_METADATA = 'hub:authz';
/** The OpenAPI security schemes of a personal API key: `Bearer <key>`, or GitHub's `token <key>`. */
export const API_KEY_BEARER_SCHEME = 'api_key';
export const API_KEY_TOKEN_SCHEME = 'api_key_token';

/**
 * Where the organization of a request comes from:
 * - `none`: the route is not organization-scoped (the caller's own user and keys);
 * - `request`: pinned key, else the only membership, else `X-Organization-Id`, else the key's default organization;
 * - `org_param`: the `:org_id` path parameter; `project_param`: the organization of `:project_id`.
 */
export type OrgSource = 'none' | 'request' | 'org_param' | 'project_param';

export interface AuthzDeclaration {
  public: boolean;
  /** Required scope; `null` means any valid key. */
  scope: ApiScope | null;
  org: OrgSource;
  role?: OrgRole;
  permission?: Permission;
  /** Public routes that authenticate the raw body themselves (signatures) judge its syntax after that check. */
  rawBody?: boolean;
}

interface RouteAccess {
  scope: ApiScope | null;
  org?: OrgSource;
  role?: OrgRole;
  permission?: Permission;
}

/**
 * The one place a route states who may call it: sets the guard metadata and writes the security
 * requirement and `x-required-*` extensions into the OpenAPI document. Routes without it fail closed.
 */
export function Authz(access: RouteAccess): MethodDecorator & ClassDecorator {
  const org = access.org ?? (access.role || access.permission ? 'request' : 'none');
  const decl: AuthzDeclaration = { public: false, scope: access.scope, org, role: access.role, permission: access.permission };
  const decorators = [
    SetMetadata(AUTHZ_METADATA, decl),
    ApiBearerAuth(API_KEY_BEARER_SCHEME),
    ApiSecurity(API_KEY_TOKEN_SCHEME),
    ApiExtension('x-required-scope', access.scope ?? 'none'),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown, revoked or expired API key', type: ErrorBodyDto }),
    ApiForbiddenResponse({ description: 'The key lacks the scope, or the user lacks the role or permission', type: ErrorBodyDto }),
    ApiTooManyRequestsResponse({ description: 'Too many failed authentications from this address', type: ErrorBodyDto }),
  ];
  const required = access.permission ?? (access.role ? `role:${access.role}` : undefined);
  if (required) decorators.push(ApiExtension('x-required-permission', required));
  return applyDecorators(...decorators);
}

/** A route anyone may call (its own mechanism — a signature, a single-use state — authenticates it). */
export function Public(reason: string, options: { rawBody?: boolean } = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTHZ_METADATA, { public: true, scope: null, org: 'none', rawBody: options.rawBody ?? false } satisfies AuthzDeclaration),
    ApiExtension('x-public', reason),
  );
}
