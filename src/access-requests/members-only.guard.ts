import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthedRequest } from '../auth/authz.guard';
import { OrgRole } from '../auth/roles';
import { membersOnly } from './access-requests.errors';

/**
 * Runs after the global authorization guard (so the role is known) and before the body is validated:
 * owners and admins connect integrations themselves instead of asking.
 */
@Injectable()
export class MembersOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthedRequest>().user;
    if (principal?.role !== OrgRole.Member) {
      throw membersOnly();
    }
    return true;
  }
}
