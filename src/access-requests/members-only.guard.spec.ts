import type { ExecutionContext } from '@nestjs/common';
import { OrgRole } from '../auth/roles';
import { MembersOnlyGuard } from './members-only.guard';

const contextFor = (role?: OrgRole) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ user: role ? { role } : undefined }) }) }) as unknown as ExecutionContext;

describe('MembersOnlyGuard', () => {
  const guard = new MembersOnlyGuard();

  it('lets members through', () => expect(guard.canActivate(contextFor(OrgRole.Member))).toBe(true));

  it.each([OrgRole.Owner, OrgRole.Admin, undefined])('refuses %s with 403 MEMBERS_ONLY', (role) => {
    expect(() => guard.canActivate(contextFor(role))).toThrow(
      expect.objectContaining({ status: 403, code: 'MEMBERS_ONLY', message: 'Only members can request access; admins can connect integrations directly.' }),
    );
  });
});
