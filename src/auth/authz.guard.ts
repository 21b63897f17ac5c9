import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { RequestWithRawBody } from '../common/body-parser';
import { bodyTooComplex, malformedJson } from '../common/common.errors';
import { HubError } from '../common/hub-error';
import { AuthDirectory } from './auth-directory';
import { credentialsMissing, missingPermission, missingRole, missingScope, organizationNotFound, organizationRequired, projectNotFound, routeNotDeclared, tooManyFailedAuthentications, unauthenticated } from './auth.errors';
import { AUTHZ_METADATA, AuthzDeclaration } from './authz.decorator';
import { ApiKeyStrategy, BearerApiKeyPassportStrategy } from './bearer-api-key.strategy';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { Principal } from './principal';
import { PERMISSION_MIN_ROLE, roleAtLeast, scopesCover } from './roles';
import { isUuid } from '../common/params';



export type AuthedRequest = FastifyRequest & { user?: Principal };

/** The JSON parser defers its error (see body-parser.ts) so that it is raised only once access is settled. */
function rejectMalformedBody(request: RequestWithRawBody): void {
  if (!request.bodyParseError) return;
  const { code, message } = request.bodyParseError;
  throw code === 'BODY_TOO_COMPLEX' ? bodyTooComplex(message) : malformedJson(message);
}

/**
 * The global guard. Order is fixed so a caller learns nothing it may not know:
 * key (401) → declared scope (403) → organization and object (400/404) → role or permission (403).
 */
@Injectable()
export class AuthzGuard implements CanActivate {
  private readonly logger = new Logger(AuthzGuard.name);
  /** The declaration of each handler (and the controller it was read for): read from metadata once, not per request. */
  private readonly declarations = new WeakMap<object, { controller: object; decl: AuthzDeclaration | undefined }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: FailedAuthLimiter,
    private readonly directory: AuthDirectory,
    private readonly strategy: ApiKeyStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const decl = this.declarationOf(context);
    if (!decl) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} has no @Authz or @Public declaration`);
      throw routeNotDeclared();
    }
    if (decl.public) {
      if (!decl.rawBody) rejectMalformedBody(context.switchToHttp().getRequest<RequestWithRawBody>());
      return true;
    }

    const request = context.switchToHttp().getRequest<AuthedRequest>();
    try {
      request.user = await this.authenticate(request);
    } catch (err) {
      if (err instanceof HubError && err.status === 401) await this.rejectFailure(request.ip);
      throw err;
    }
    const principal = request.user;
    principal.requestId = String(request.id);
    principal.ip = request.ip;

    if (decl.scope && !scopesCover(principal.scopes, decl.scope)) {
      throw missingScope(decl.scope);
    }
    await this.resolveOrganization(decl, request, principal);
    this.checkRole(decl, principal);
    rejectMalformedBody(request);
    return true;
  }

  private declarationOf(context: ExecutionContext): AuthzDeclaration | undefined {
    const handler = context.getHandler();
    const controller = context.getClass();
    const known = this.declarations.get(handler);
    if (known && known.controller === controller) return known.decl;
    const decl = this.reflector.getAllAndOverride<AuthzDeclaration | undefined>(AUTHZ_METADATA, [handler, controller]);
    this.declarations.set(handler, { controller, decl });
    return decl;
  }

  /**
   * Failed authentications count per client address; past the limit the answer becomes 429 with Retry-After.
   * Only the failure path pays for the check, so valid keys behind a shared address keep working.
   */
  private async rejectFailure(address: string): Promise<void> {
    const wait = await this.limiter.recordFailure(address);
    if (wait > 0) {
      throw tooManyFailedAuthentications(wait);
    }
  }

  /**
   * Runs this application's API-key strategy through the Strategy contract (`authenticate(req)`
   * answering with `success`, `fail` or `error`), which is the core of `passport.authenticate` without its
   * session, redirect and multi-strategy layers that a bearer-key API never uses (they cost ~18 µs a request).
   * The strategy is this app's own instance, not a name in passport's process-wide registry, and each request
   * gets a fresh object derived from it because the callbacks are per request.
   */
  private authenticate(request: AuthedRequest): Promise<Principal> {
    return new Promise((resolve, reject) => {
      const run = Object.create(this.strategy) as BearerApiKeyPassportStrategy;
      run.success = (principal: Principal) => resolve(principal);
      run.fail = () => reject(request.headers.authorization === undefined ? credentialsMissing() : unauthenticated());
      run.error = (err: Error) => reject(err);
      run.authenticate(request);
    });
  }

  private async resolveOrganization(decl: AuthzDeclaration, request: AuthedRequest, principal: Principal): Promise<void> {
    const params = (request.params ?? {}) as Record<string, string>;
    let organizationId: string | undefined;
    switch (decl.org) {
      case 'none':
        return;
      case 'org_param':
        organizationId = params.org_id;
        if (!organizationId || !isUuid(organizationId) || !this.visible(principal, organizationId)) throw organizationNotFound();
        break;
      case 'project_param': {
        const projectId = params.project_id;
        const owner = isUuid(projectId) ? await this.directory.organizationOfProject(projectId) : null;
        if (!owner || !this.visible(principal, owner)) throw projectNotFound();
        organizationId = owner;
        principal.projectId = projectId;
        break;
      }
      case 'request':
        organizationId = this.organizationFromRequest(request, principal);
        break;
    }
    principal.organizationId = organizationId;
    principal.role = principal.memberships.get(organizationId);
  }

  private organizationFromRequest(request: AuthedRequest, principal: Principal): string {
    if (principal.pinnedOrganizationId) {
      if (!principal.memberships.has(principal.pinnedOrganizationId)) throw organizationNotFound();
      return principal.pinnedOrganizationId;
    }
    if (principal.memberships.size === 1) return principal.memberships.keys().next().value as string;
    const header = request.headers['x-organization-id'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) {
      // Keys answer for the organization they were created in unless the request names another.
      if (principal.defaultOrganizationId && principal.memberships.has(principal.defaultOrganizationId)) return principal.defaultOrganizationId;
      throw organizationRequired([...principal.memberships.keys()]);
    }
    // A missing organization and someone else's answer alike: the header is no oracle for which ids exist.
    if (!isUuid(value) || !principal.memberships.has(value)) throw organizationNotFound();
    return value;
  }

  /** An organization the caller may see: a member, and the key is not pinned elsewhere. */
  private visible(principal: Principal, organizationId: string): boolean {
    if (principal.pinnedOrganizationId && principal.pinnedOrganizationId !== organizationId) return false;
    return principal.memberships.has(organizationId);
  }

  private checkRole(decl: AuthzDeclaration, principal: Principal): void {
    if (!decl.role && !decl.permission) return;
    const role = principal.role;
    if (decl.permission) {
      if (!role || !roleAtLeast(role, PERMISSION_MIN_ROLE[decl.permission])) {
        throw missingPermission(decl.permission);
      }
    } else if (decl.role && (!role || !roleAtLeast(role, decl.role))) {
      throw missingRole(decl.role);
    }
  }
}
