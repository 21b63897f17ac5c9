import { validationFailed } from './common.errors';
import { ErrorCode } from './error-codes';
import { isUuid, PatternPipe } from './params';
import { isGithubInstallationId } from '../github/installation-id';
import { installationNotFound } from '../github/github.errors';

describe('shared path parameter checks', () => {
  it('accepts UUIDs only (not 36 dashes, which the database would refuse with a 500)', () => {
    expect(isUuid('7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44')).toBe(true);
    expect(isUuid('7D0F3C1E-8E63-4A1C-9A39-0C5F2F1B2A44')).toBe(true);
    for (const bad of ['-'.repeat(36), '7d0f3c1e8e634a1c9a390c5f2f1b2a44', 'x', '', undefined, 42]) expect(isUuid(bad)).toBe(false);
  });

  it('accepts GitHub installation ids (positive decimal int64 strings)', () => {
    expect(isGithubInstallationId('12345678')).toBe(true);
    for (const bad of ['', '-1', '1.5', '0x10', '12345678901234567890', undefined]) expect(isGithubInstallationId(bad)).toBe(false);
  });

  it('a pattern pipe passes a match through and raises the given error otherwise', () => {
    const uuid = new PatternPipe(isUuid, () => validationFailed('id must be a UUID', { attr: 'id' }));
    expect(uuid.transform('7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44')).toBe('7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44');
    expect(() => uuid.transform('nope')).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed, status: 400, attr: 'id' }));
    const installation = new PatternPipe(isGithubInstallationId, installationNotFound);
    expect(() => installation.transform('abc')).toThrow(expect.objectContaining({ code: ErrorCode.GithubInstallationNotFound, status: 404, message: 'GitHub installation abc was not found' }));
  });
});
