import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { HubError } from '../common/hub-error';
import { Authz, Public } from './authz.decorator';
import { AuthzGuard } from './authz.guard';
import { ApiScope, OrgRole } from './roles';

@Controller()
class ExampleController {
  @Get('undeclared') undeclared(): void {}
  @Get('public') @Public('test') open(): void {}
  @Get('signed') @Public('signature', { rawBody: true }) signed(): void {}
  @Get('scoped') @Authz({ scope: ApiScope.IntegrationRead, role: OrgRole.Admin }) scoped(): void {}
}

/** The context Nest builds for an HTTP request (its arguments: request, response). */
function contextFor(handler: keyof ExampleController, request: Record<string, unknown> = { headers: {}, ip: '127.0.0.1' }): ExecutionContext {
  const context = new ExecutionContextHost([request, {}], ExampleController as never, ExampleController.prototype[handler]);
  context.setType('http');
  return context;
}

describe('AuthzGuard', () => {
  const failures: string[] = [];
  const limiter = { recordFailure: async (address: string) => (failures.push(address), 0) };
  const strategy = { authenticate() { (this as unknown as { fail(): void }).fail(); } };
  const guard = new AuthzGuard(new Reflector(), limiter as never, {} as never, strategy as never);
  // canActivate answers synchronously when it can (a value or a throw) and with a promise otherwise, as Nest accepts.
  const activate = (context: Parameters<AuthzGuard['canActivate']>[0]): Promise<boolean> => Promise.resolve().then(() => guard.canActivate(context));
  // Each test counts only its own failures, whatever ran before it.
  beforeEach(() => {
    failures.length = 0;
  });

  it('fails closed on a route without a declaration, before looking at credentials', async () => {
    await expect(activate(contextFor('undeclared'))).rejects.toMatchObject({ status: 403, code: 'ROUTE_NOT_DECLARED' });
    expect(failures).toEqual([]);
  });

  it('lets public routes through without a key, but still refuses a malformed body', async () => {
    await expect(activate(contextFor('open'))).resolves.toBe(true);
    await expect(activate(contextFor('open', { headers: {}, bodyParseError: { code: 'MALFORMED_JSON', message: 'Malformed JSON body: x' } }))).rejects.toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    // A signed route verifies the raw bytes first; the body's syntax is its own business after that.
    await expect(activate(contextFor('signed', { headers: {}, bodyParseError: { code: 'MALFORMED_JSON', message: 'Malformed JSON body: x' } }))).resolves.toBe(true);
  });

  it('answers 401 and counts the failure when the strategy fails', async () => {
    const err = await activate(contextFor('scoped', { headers: { authorization: 'token not-a-key' }, ip: '127.0.0.1' })).catch((e: HubError) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // Without any Authorization header the failure says the credentials are missing (Infisical's "Token missing").
    await expect(activate(contextFor('scoped'))).rejects.toMatchObject({ status: 401, code: 'CREDENTIALS_MISSING' });
    expect(failures).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('settles a cached key without a promise and a looked-up one with a promise, to the same answers', async () => {
    const organizationId = '0b7c4a52-4c55-4a8e-9a56-7e1f0f4a9b11';
    const principal = (role: OrgRole) => ({ userId: 'u1', keyId: 'k1', scopes: ['*'], pinnedOrganizationId: null, defaultOrganizationId: null, memberships: new Map([[organizationId, role]]) });
    const guardFor = (role: OrgRole, later: boolean) =>
      new AuthzGuard(new Reflector(), limiter as never, {} as never, {
        authenticate(this: { success(p: unknown): void }) {
          if (later) setImmediate(() => this.success(principal(role)));
          else this.success(principal(role));
        },
      } as never);
    const request = () => ({ headers: { authorization: 'Bearer x' }, ip: '127.0.0.1', id: 'req-1' });

    const cachedRequest = request();
    expect(guardFor(OrgRole.Admin, false).canActivate(contextFor('scoped', cachedRequest))).toBe(true);
    expect(cachedRequest).toMatchObject({ user: { organizationId, role: OrgRole.Admin, requestId: 'req-1' } });
    expect(() => guardFor(OrgRole.Member, false).canActivate(contextFor('scoped', request()))).toThrow(expect.objectContaining({ status: 403 }) as Error);

    const lookedUp = guardFor(OrgRole.Admin, true).canActivate(contextFor('scoped', request()));
    expect(lookedUp).toBeInstanceOf(Promise);
    await expect(lookedUp).resolves.toBe(true);
    await expect(guardFor(OrgRole.Member, true).canActivate(contextFor('scoped', request()))).rejects.toMatchObject({ status: 403 });
    expect(failures).toEqual([]);
  });
});
