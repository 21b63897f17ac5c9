import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from './authz.guard';

/** The caller the guard resolved; only on routes that are not public. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().user;
});
