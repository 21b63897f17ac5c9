import { Param } from '@nestjs/common';
import { PatternPipe } from '../common/params';
import { installationNotFound } from './github.errors';

/** GitHub installation ids are positive integers (int64); the hub carries them as decimal strings. */
export const GITHUB_INSTALLATION_ID = /^\d{1,19}$/;

export const isGithubInstallationId = (value: unknown): value is string => typeof value === 'string' && GITHUB_INSTALLATION_ID.test(value);

/** An installation id path parameter: anything that is not one names no installation (404, GitHub's answer). */
export const InstallationIdParam = (name = 'installation_id') => Param(name, new PatternPipe(isGithubInstallationId, installationNotFound));
