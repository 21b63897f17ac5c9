import type { Principal } from './principal';

/**
 * What authentication needs to know about keys, organizations and projects. The organizations module provides it
 * (the application root wires the two), so `auth` depends on no module above it.
 */
export abstract class AuthDirectory {
  /**
   * The principal a presented key stands for, or null when the key is unknown, revoked or expired: a value when it
   * is known without I/O (cached), a promise otherwise.
   */
  abstract verifyApiKey(token: string): Principal | null | Promise<Principal | null>;
  abstract organizationOfProject(projectId: string): Promise<string | null>;
}
