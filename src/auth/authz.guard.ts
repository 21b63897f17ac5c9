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

/**
 * One request's run of the strategy: the strategy's own `authenticate` called on an object derived from it, whose
 * `success`, `fail` and `error` (the Strategy contract's callbacks) record the outcome, or settle the promise the guard
 * returned when the key had to be looked up. The callbacks live on a prototype shared by every run; a run is one
 * object with its request's fields.
 */
interface StrategyRun extends BearerApiKeyPassportStrategy {
  request: AuthedRequest;
  outcome?: { principal: Principal } | { error: unknown };
  settle?: (principal: Principal) => void;
  refuse?: (err: unknown) => void;
}

function strategyRuns(strategy: BearerApiKeyPassportStrategy): StrategyRun {
  const runs = Object.create(strategy) as StrategyRun;
  const failure = (run: StrategyRun) => (run.request.headers.authorization === undefined ? credentialsMissing() : unauthenticated());
  runs.success = function (this: StrategyRun, principal: Principal) {
    if (this.settle) this.settle(principal);
    else this.outcome = { principal };
  };
  runs.fail = function (this: StrategyRun) {
    if (this.refuse) this.refuse(failure(this));
    else this.outcome = { error: failure(this) };
  };
  runs.error = function (this: StrategyRun, err: Error) {
    if (this.refuse) this.refuse(err);
    else this.outcome = { error: err };
  };
  return runs;
}

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
  /** The prototype of each request's strategy run (see `authenticate`), made at the first request. */
  private runs: StrategyRun | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: FailedAuthLimiter,
    private readonly directory: AuthDirectory,
    private readonly strategy: ApiKeyStrategy,
  ) {}

  /**
   * Synchronous when everything it needs is in memory (a cached key, an organization taken from the key or a
   * parameter): the common case answers without a promise. Errors are thrown, or rejected, alike.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const decl = this.declarationOf(context);
    if (!decl) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} has no @Authz or @Public declaration`);
      throw routeNotDeclared();
    }
    if (decl.public) {
      if (!decl.rawBody) rejectMalformedBody(context.getArgByIndex<RequestWithRawBody>(0));
      return true;
    }

    // The HTTP request, as `switchToHttp().getRequest()` gives it without that call's three closures a request.
    const request = context.getArgByIndex<AuthedRequest>(0);
    let principal: Principal | Promise<Principal>;
    try {
      principal = this.authenticate(request);
    } catch (err) {
      return this.failedAuthentication(err, request);
    }
    if (principal instanceof Promise) {
      return principal.then(
        (p) => this.authorize(decl, request, p),
        (err: unknown) => this.failedAuthentication(err, request),
      );
    }
    return this.authorize(decl, request, principal);
  }

  private async failedAuthentication(err: unknown, request: AuthedRequest): Promise<never> {
    if (err instanceof HubError && err.status === 401) await this.rejectFailure(request.ip);
    throw err;
  }

  private authorize(decl: AuthzDeclaration, request: AuthedRequest, principal: Principal): boolean | Promise<boolean> {
    request.user = principal;
    principal.requestId = String(request.id);
    principal.ip = request.ip;

    if (decl.scope && !scopesCover(principal.scopes, decl.scope)) {
      throw missingScope(decl.scope);
    }
    const resolved = this.resolveOrganization(decl, request, principal);
    if (resolved instanceof Promise) return resolved.then(() => this.permit(decl, request, principal));
    return this.permit(decl, request, principal);
  }

  private permit(decl: AuthzDeclaration, request: AuthedRequest, principal: Principal): true {
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
   * gets a fresh object derived from it, since the outcome is per request (StrategyRun: the callbacks are shared).
   */
  private authenticate(request: AuthedRequest): Principal | Promise<Principal> {
    const run = Object.create((this.runs ??= strategyRuns(this.strategy))) as StrategyRun;
    run.request = request;
    run.authenticate(request);
    const outcome = run.outcome;
    if (outcome) {
      if ('principal' in outcome) return outcome.principal;
      throw outcome.error;
    }
    return new Promise((resolve, reject) => {
      run.settle = resolve;
      run.refuse = reject;
    });
  }

  /** Sets the principal's organization and role; a promise only when a project's organization must be looked up. */
  private resolveOrganization(decl: AuthzDeclaration, request: AuthedRequest, principal: Principal): void | Promise<void> {
    const params = (request.params ?? {}) as Record<string, string>;
    switch (decl.org) {
      case 'none':
        return;
      case 'org_param': {
        const organizationId = params.org_id;
        if (!organizationId || !isUuid(organizationId) || !this.visible(principal, organizationId)) throw organizationNotFound();
        this.enter(principal, organizationId);
        return;
      }
      case 'project_param': {
        const projectId = params.project_id;
        if (!isUuid(projectId)) throw projectNotFound();
        return this.directory.organizationOfProject(projectId).then((owner) => {
          if (!owner || !this.visible(principal, owner)) throw projectNotFound();
          principal.projectId = projectId;
          this.enter(principal, owner);
        });
      }
      case 'request':
        this.enter(principal, this.organizationFromRequest(request, principal));
        return;
    }
  }

  private enter(principal: Principal, organizationId: string): void {
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
